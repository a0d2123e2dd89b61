// green-ts/mysql: the MySQL layer (DESIGN.md "MySQL"), on mysql2's callback API.
export { createPool, Pool } from './create-pool.js';
export { Connection } from './connection.js';
export { sql, Sql, type SqlQuery, type SqlTag } from './sql.js';
export { MysqlError, PoolError, type PoolErrorCode } from './errors.js';
export type { PoolOptions } from './config.js';
export type { PoolStats } from './pool.js';
export type { Params, QueryOptions, RowData, RunResult } from './execute.js';
