// The demo's one pool. Repository functions import it and query it as if the calls were blocking;
// green-ts parks the request's green thread while MySQL answers.
import { createPool, type Pool } from 'green-ts/mysql';

let current: Pool | undefined;

export function openPool(mysqlUrl: string, size: number): Pool {
  current = createPool({ uri: mysqlUrl, connectionLimit: size, charset: 'utf8mb4' });
  return current;
}

export function pool(): Pool {
  if (!current) throw new Error('the pool is not open yet (openPool runs at start)');
  return current;
}
