import { randomUUID } from 'node:crypto';
import type { ErrorRenderer } from '../../lib';

/**
 * The bank seed's error envelope: `{errorId, code, text, parameter_name, parameter_value}`. Its document
 * lists 409 as the status of a failed request, so client errors (400, 401, 403) are answered 409; size,
 * rate and availability errors keep their own status. `parameter_value` echoes only values Keyturn marks as
 * safe to show (never a credential).
 */
export const renderBankError: ErrorRenderer = (error) => {
  const status = error.status === 400 || error.status === 401 || error.status === 403 ? 409 : error.status;
  const body: Record<string, unknown> = {
    errorId: randomUUID(),
    code: error.code,
    text: error.description ?? error.code,
  };
  if (error.parameter !== undefined) body.parameter_name = error.parameter;
  if (error.parameterValue !== undefined) body.parameter_value = error.parameterValue;
  // A Basic challenge on a 409 would tell clients to retry with credentials they already sent.
  const { ['WWW-Authenticate']: _challenge, ...headers } = error.headers;
  return { status, headers, body };
};
