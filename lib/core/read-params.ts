import { InvalidRequestError } from '../errors/token-errors';
import type { OAuthParams, RequestState } from './request-state';

/**
 * Checks the parsed body and keeps it as the request's OAuth parameters. A body the adapter could not parse
 * fails here, after the availability gate. RFC 6749 §3.2: parameters must not be included more than once (a
 * repeated form field arrives as an array; a JSON array is just a non-string); every value must be a string
 * (a JSON number or object is malformed, not coerced); parameters sent without a value are treated as
 * omitted (§3.1). The exception is `resource` (RFC 8707 §2), which may repeat: its values are kept apart, in
 * `state.resources`, and every one must be a string.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-3.2
 * @see https://www.rfc-editor.org/rfc/rfc8707#section-2
 */
export function readParams(state: RequestState): void {
  if (state.bodyError !== undefined) throw state.bodyError;
  const body = state.body;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new InvalidRequestError({ description: 'the request body must be an object of parameters' });
  }
  const params: Record<string, string> = Object.create(null);
  for (const name of Object.keys(body)) {
    const value = (body as Record<string, unknown>)[name];
    if (name === RESOURCE) {
      state.resources = readResources(value);
    } else if (typeof value === 'string') {
      if (value !== '') params[name] = value;
    } else if (Array.isArray(value) && state.bodyType === 'form') {
      throw new InvalidRequestError({ description: `parameter ${safeName(name)} is repeated`, parameter: safeName(name) });
    } else {
      throw new InvalidRequestError({ description: `parameter ${safeName(name)} must be a string`, parameter: safeName(name) });
    }
  }
  state.params = params as OAuthParams;
}

// RFC 8707 §2: "Multiple resource parameters MAY be used to indicate that the requested token is intended to
// be used at multiple resources". The one parameter allowed to repeat: a form field sent twice, or a JSON array.
const RESOURCE = 'resource';

function readResources(value: unknown): readonly string[] | undefined {
  const values = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(values) || !values.every((v): v is string => typeof v === 'string')) {
    throw new InvalidRequestError({ description: 'parameter resource must be a string or a list of strings', parameter: RESOURCE });
  }
  // §3.1 of RFC 6749: a value sent empty is omitted.
  const kept = values.filter((v) => v !== '');
  return kept.length === 0 ? undefined : kept;
}

/** A step that answers `invalid_request` when a parameter is missing, before any secret check is spent on the request. */
export function requireParam(name: string): (state: RequestState) => void {
  return function requireParamStep(state) {
    if (state.params[name] === undefined) throw new InvalidRequestError({ description: `${name} is required`, parameter: name });
  };
}

// Parameter names are echoed in error descriptions; keep them short and printable.
function safeName(name: string): string {
  const printable = name.replace(/[^\x20-\x7E]/g, '?');
  return printable.length > 64 ? `${printable.slice(0, 64)}...` : printable;
}
