// The Express error middleware of both services. A BadRequest answers 400 with its reason; anything
// else is logged here, server-side, and the client gets a bare 500: no message, no stack.
import type { NextFunction, Request, Response } from 'express';
import { BadRequest } from './posts.js';

export function errorMiddleware(err: unknown, req: Request, res: Response, next: NextFunction): void {
  if (res.headersSent) { next(err); return; }   // Express's own handler then closes the connection
  if (err instanceof BadRequest) { res.status(400).json({ error: err.message }); return; }
  console.error(`${req.method} ${req.originalUrl} failed:`, err);
  res.status(500).type('text/plain').send('Internal Server Error');
}
