import type { Request, RequestHandler, Response, Router } from 'express';
import { writeResponse } from '../../core/write-response';
import type { authorizeEndpoint } from '../../endpoints/authorize/authorize-endpoint';
import type { consentDecision } from '../../endpoints/authorize/consent-decision';
import { AUTHORIZE_PAGE_HEADERS } from '../../endpoints/authorize/page-headers';
import type { AuthorizationHooks } from '../../endpoints/authorize/resolve-authorization-options';
import type { AuthenticateUser, RenderConsent } from './authorize-hooks';
import type { ErrorRendering } from '../../core/render-error';
import { methodNotAllowedHandler } from './endpoint-handler';
import type { bodyReader } from './parse-body';
import { plainRequestView } from '../../http';

/** The authorization endpoint's parts the Express routes call. */
export interface AuthorizeRouteParts {
  readonly authorize: ReturnType<typeof authorizeEndpoint>;
  readonly consent: ReturnType<typeof consentDecision>;
  readonly hooks: AuthorizationHooks<AuthenticateUser, RenderConsent>;
}

/**
 * Mounts `GET /authorize` and `POST /authorize/consent`. The core decides; this adapter's one job beyond
 * translating is to call the app's hooks with Express's `req` and `res`, because the app's sign-in and consent
 * pages answer the browser themselves. Those pages carry the endpoint's headers too (no-store, no framing).
 */
export function mountAuthorizeRoutes(router: Router, parts: AuthorizeRouteParts, readBody: ReturnType<typeof bodyReader>, rendering: ErrorRendering): void {
  const { hooks } = parts;
  const pageHeaders = (res: Response): void => {
    for (const name in AUTHORIZE_PAGE_HEADERS) res.setHeader(name, AUTHORIZE_PAGE_HEADERS[name] as string);
  };
  // An error after the app's hook has started answering cannot be shown any more; Express ends the request.
  const answer = (res: Response, next: (err?: unknown) => void, write: () => void): void => {
    if (res.headersSent) return next(new Error('keyturn: the authorization hook answered and then failed'));
    write();
  };

  const authorize: RequestHandler = (req, res, next) => {
    pageHeaders(res);
    const request = plainRequestView(req);
    parts
      .authorize({ request, query: req.query as Record<string, unknown>, mountPath: req.baseUrl, returnTo: req.originalUrl, secure: req.secure })
      .then(async (start) => {
        if (start.kind === 'respond') return writeResponse(res, start.response);
        let user;
        try {
          user = await hooks.authenticateUser(req, res, start.login);
        } catch (err) {
          return answer(res, next, () => writeResponse(res, start.fail(err)));
        }
        // No user and a page already sent: the app's login page answered. No user and nothing sent is the
        // core's to answer (prompt=none: login_required).
        if ((user === undefined || user === null) && res.headersSent) return;
        const after = await start.resume(user);
        if (after === undefined) return;
        if (after.kind === 'respond') return answer(res, next, () => writeResponse(res, after.response));
        for (const name in after.headers) res.append(name, after.headers[name] as string);
        try {
          await hooks.renderConsent(req, res, after.details);
        } catch (err) {
          answer(res, next, () => writeResponse(res, start.fail(err)));
        }
      })
      .catch(next);
  };

  const consent: RequestHandler = (req, res, next) => {
    pageHeaders(res);
    const request = plainRequestView(req);
    readBody(
      req,
      res,
      (parsed) => {
        parts
          .consent({ request, ...parsed, mountPath: req.baseUrl })
          .then(async (start) => {
            if (start.kind === 'respond') return writeResponse(res, start.response);
            let user;
            try {
              user = await hooks.authenticateUser(req as Request, res, start.login);
            } catch (err) {
              return answer(res, next, () => writeResponse(res, start.fail(err)));
            }
            const response = await start.resume(user);
            if (response !== undefined) answer(res, next, () => writeResponse(res, response));
          })
          .catch(next);
      },
      next,
    );
  };

  router.get('/authorize', authorize);
  router.all('/authorize', methodNotAllowedHandler(rendering, 'GET'));
  router.post('/authorize/consent', consent);
  router.all('/authorize/consent', methodNotAllowedHandler(rendering, 'POST'));
}
