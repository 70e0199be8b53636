import { BASIC_HEADER, TOKEN_FORM_BODY, TOKEN_PATH } from '../fixtures';

/**
 * An access token from the client_credentials grant of the Keyturn server listening on `port`, with the bench
 * client's Basic header and form body: the one token a server's load then reuses (a resource server's
 * `Authorization` header, the introspection request's body).
 */
export async function fetchTestToken(port: number): Promise<string> {
  const response = await fetch(`http://127.0.0.1:${port}${TOKEN_PATH}`, {
    method: 'POST',
    headers: { Authorization: BASIC_HEADER, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: TOKEN_FORM_BODY,
  });
  const body = (await response.json()) as { access_token?: string };
  if (response.status !== 200 || typeof body.access_token !== 'string') throw new Error(`no test token: ${response.status} ${JSON.stringify(body)}`);
  return body.access_token;
}
