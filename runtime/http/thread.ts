// Starts one request's green thread: the runtime's `start` (protocol.ts) on a frame of the
// handler's body called with (req, res).
import type { Body, Frame } from '../protocol.js';
import { start } from '../internal.js';

export function startThread(body: Body, name: string, req: unknown, res: unknown): Promise<unknown> {
  return start(body.call(undefined, req, res), name);
}

/**
 * The body for a plain function: calls it inside the thread, so it too gets a thread of its own
 * (`current()`, `Local`) and its throw or rejected promise fails the thread like a green body's.
 */
export function plainBody(fn: (req: any, res: any) => unknown): Body {
  return function* plain(req: unknown, res: unknown): Frame {
    return fn(req, res);
  };
}
