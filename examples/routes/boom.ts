// Throws after a query has come back, i.e. after the green thread has suspended and resumed, one
// call below the handler: the error path under test, and a look at the green stack in the log.
// handler() passes the error to next(err); errorMiddleware logs it and answers a bare 500.
import type { Request, Response } from 'express';
import { handler } from 'green-ts/http';
import { pool } from '../db.js';

function failAfterQuery(): never {
  pool().query('SELECT 1');
  throw new Error('boom: a detail the client must not see');
}

export const boom = handler((_req: Request, _res: Response) => {
  failAfterQuery();
});
