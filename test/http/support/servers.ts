// Real servers on 127.0.0.1 ephemeral ports for the handler unit tests, and a raw client that
// reports a cut connection instead of throwing it away.
import express, { type ErrorRequestHandler, type RequestHandler as ExpressHandler } from 'express';
import { createServer, get as httpGet, type RequestListener, type Server } from 'node:http';
import { once } from 'node:events';

export interface Listening { url: string; close(): Promise<void> }

async function listen(server: Server): Promise<Listening> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((r) => { server.close(() => r()); server.closeAllConnections(); }),
  };
}

export function nodeServer(listener: RequestListener): Promise<Listening> {
  return listen(createServer(listener));
}

export function expressServer(routes: Record<string, ExpressHandler>, onError?: ErrorRequestHandler): Promise<Listening> {
  const app = express();
  for (const [path, h] of Object.entries(routes)) app.get(path, h);
  if (onError) app.use(onError);
  return listen(createServer(app));
}

export interface RawResponse { status?: number; body: string; complete: boolean; error?: string }

/**
 * GET without fetch's retries or pooling: resolves with what arrived and whether the response
 * completed, so a test can tell a destroyed socket from a finished response.
 */
export function rawGet(url: string): Promise<RawResponse> {
  return new Promise((resolve) => {
    const req = httpGet(url, { agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => { body += c; });
      res.on('end', () => resolve({ status: res.statusCode, body, complete: res.complete }));
      res.on('error', (e) => resolve({ status: res.statusCode, body, complete: false, error: e.message }));
      res.on('aborted', () => resolve({ status: res.statusCode, body, complete: false, error: 'aborted' }));
    });
    req.on('error', (e) => resolve({ body: '', complete: false, error: e.message }));
  });
}
