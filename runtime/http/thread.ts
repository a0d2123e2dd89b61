// Starts one request's green thread. Kept apart so handler.ts only knows "start a thread running
// this body with (req, res)"; the runtime's entry point for that is protocol.ts's `start`.
import type { Body } from '../protocol.js';
import { start } from '../internal.js';

export function startThread(body: Body, name: string, req: unknown, res: unknown): Promise<unknown> {
  return start(body.call(undefined, req, res), name);
}
