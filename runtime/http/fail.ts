// What happens to a request whose handler threw (DESIGN.md "HTTP").
import type { IncomingMessage, ServerResponse } from 'node:http';

export type Next = (err?: unknown) => void;

const BODY_500 = 'Internal Server Error';

/**
 * With a `next` (Express, Connect) the error is the framework's to handle: its error middleware
 * decides what the client sees. Without one (plain node:http) the error is logged here, server-side,
 * and the client gets a bare 500: no message and no stack, which may hold SQL, paths or secrets.
 * When the response has already started, a 500 can no longer be sent: the socket is destroyed so
 * the client sees a cut response instead of a truncated one that looks whole.
 */
export function failRequest(err: unknown, req: IncomingMessage, res: ServerResponse, next: Next | undefined): void {
  try {
    respond(err, req, res, next);
  } catch (secondary) {
    // A `next` or error middleware that throws must not become an unhandled rejection, which
    // would take the whole process down: log both and cut this one request.
    console.error(`green-ts/http: ${req.method} ${req.url} failed, and so did handling it:`, err, secondary);
    res.destroy();
  }
}

function respond(err: unknown, req: IncomingMessage, res: ServerResponse, next: Next | undefined): void {
  if (next) { next(err); return; }
  console.error(`green-ts/http: ${req.method} ${req.url} failed:`, err);
  if (res.writableEnded) return;   // the whole response went out; nothing left to protect
  if (res.headersSent) { res.destroy(); return; }
  for (const name of res.getHeaderNames()) res.removeHeader(name);   // e.g. a Content-Type set before the throw
  res.statusCode = 500;
  res.setHeader('Content-Type', 'text/plain; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(BODY_500));
  res.end(BODY_500);
}
