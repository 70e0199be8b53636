import type { NextFunction, Request, RequestHandler, Response } from 'express';

/**
 * Makes an async middleware safe on Express 4 as well as 5: a rejection goes to `next(err)` and the returned
 * value is `undefined`. Express 5 forwards rejections by itself, but Express 4 (in Keyturn's peer range)
 * ignores the promise, which would leave the request unanswered and the rejection unhandled.
 */
export function asyncMiddleware(handler: (req: Request, res: Response, next: NextFunction) => Promise<unknown>): RequestHandler {
  const middleware: RequestHandler = (req, res, next) => {
    handler(req, res, next).catch(next);
  };
  Object.defineProperty(middleware, 'name', { value: handler.name });
  return middleware;
}
