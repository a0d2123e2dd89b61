// handler(fn): adapts a green request function to node:http, Express and Connect.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { BODY, isGreen } from '../protocol.js';
import { failRequest, type Next } from './fail.js';
import { plainBody, startThread } from './thread.js';

/** What handler() returns: a node:http request listener that is also Express / Connect middleware. */
export type RequestHandler<Req extends IncomingMessage = IncomingMessage, Res extends ServerResponse = ServerResponse> =
  (req: Req, res: Res, next?: Next) => void;

/**
 * Runs `fn(req, res)` for each request in a green thread of its own, so `fn` and everything it
 * calls may suspend (query MySQL, sleep, wait on a promise) without `await`, while other requests
 * run. An error thrown by `fn`, before or after any suspension, goes to `next(err)` when the server
 * passes a `next` (Express, Connect), else becomes a 500 with no detail sent to the client (the error
 * is logged server-side); if the response had already started, the socket is destroyed. Either way
 * the server keeps serving.
 *
 * `fn` is green: the `@green` mark on the parameter tells green-tsc that a function passed here is a
 * root, so its body is rewritten even when it is an inline arrow. A plain function (not compiled by
 * green-tsc) works too and also runs in a thread; if it returns a promise, a rejection is handled
 * like a throw.
 */
export function handler<Req extends IncomingMessage = IncomingMessage, Res extends ServerResponse = ServerResponse>(
  /** @green */ fn: (req: Req, res: Res) => void,
): RequestHandler<Req, Res> {
  if (typeof fn !== 'function') throw new TypeError('handler(fn): fn must be a function');
  const body = isGreen(fn) ? fn[BODY] : plainBody(fn);
  const name = fn.name || 'handler';
  return function greenHandler(req, res, next) {
    startThread(body, name, req, res).then(undefined, (err: unknown) => failRequest(err, req, res, next));
  };
}
