import { InvalidRequestError } from '../../errors/token-errors';
import type { PromptValue } from './interaction';

const PROMPTS: ReadonlySet<string> = new Set<PromptValue>(['none', 'login', 'consent', 'select_account']);
// max_age is seconds; ten digits is over three centuries, and keeps Number exact.
const MAX_AGE = /^[0-9]{1,10}$/;

/**
 * Reads OpenID Connect Core §3.1.2.1's sign-in parameters: `prompt` ("Space delimited, case sensitive list
 * of ASCII string values"; `none` "MUST NOT" be combined with another value, an unknown value is refused),
 * `max_age` (a non-negative integer of seconds) and `login_hint`. Each malformed value is `invalid_request`,
 * redirected to the client.
 * @see https://openid.net/specs/openid-connect-core-1_0.html#AuthRequest
 */
export function readLoginParameters(params: Readonly<Record<string, string | undefined>>): {
  readonly prompt: readonly PromptValue[];
  readonly maxAge: number | undefined;
  readonly loginHint: string | undefined;
} {
  const prompt: PromptValue[] = [];
  if (params.prompt !== undefined) {
    for (const value of params.prompt.split(' ')) {
      if (value === '') continue;
      if (!PROMPTS.has(value)) throw new InvalidRequestError({ description: 'prompt must be none, login, consent or select_account', parameter: 'prompt' });
      if (!prompt.includes(value as PromptValue)) prompt.push(value as PromptValue);
    }
    if (prompt.includes('none') && prompt.length > 1) {
      throw new InvalidRequestError({ description: 'prompt=none cannot be combined with another value', parameter: 'prompt' });
    }
  }
  let maxAge: number | undefined;
  if (params.max_age !== undefined) {
    if (!MAX_AGE.test(params.max_age)) throw new InvalidRequestError({ description: 'max_age must be a non-negative integer of seconds', parameter: 'max_age' });
    maxAge = Number(params.max_age);
  }
  // login_hint is the app's to interpret (an email, a user name); its length is checked with the others'.
  return { prompt, maxAge, loginHint: params.login_hint };
}
