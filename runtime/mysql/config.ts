// Pool configuration: splits what `createPool` is given into the pool's own settings and the
// options every mysql2 connection is created with (passed through untouched, so any mysql2
// connection option works: `ssl`, `timezone`, `typeCast`, `namedPlaceholders`, ...).
import type { ConnectionOptions, PoolOptions as Mysql2PoolOptions } from 'mysql2';

export interface PoolOptions extends Mysql2PoolOptions {
  /**
   * Milliseconds a caller waits for a free connection before `POOL_ACQUIRE_TIMEOUT` is thrown.
   * 0 waits forever. Default 10 000.
   */
  acquireTimeout?: number;
}

export interface PoolConfig {
  /** Most connections open at once. mysql2's default: 10. */
  readonly connectionLimit: number;
  /** Most callers parked waiting for a connection; 0 means no limit (mysql2's default). */
  readonly queueLimit: number;
  /** When false, a caller that finds the pool full fails at once instead of waiting. */
  readonly waitForConnections: boolean;
  readonly acquireTimeout: number;
  /** Most idle connections kept beyond `idleTimeout`; mysql2's default: connectionLimit (keep all). */
  readonly maxIdle: number;
  /** Milliseconds an idle connection above `maxIdle` is kept. mysql2's default: 60 000. */
  readonly idleTimeout: number;
  /** What each mysql2 connection is created with. */
  readonly connection: ConnectionOptions;
}

/** Pool-level keys: mysql2 pool options (which a plain connection warns about) and ours. */
const POOL_KEYS = ['connectionLimit', 'queueLimit', 'waitForConnections', 'acquireTimeout', 'maxIdle', 'idleTimeout', 'resetOnRelease'] as const;
type PoolKey = (typeof POOL_KEYS)[number];

function count(name: string, value: unknown, fallback: number, min: number): number {
  if (value === undefined || value === null || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new TypeError(`createPool: ${name} must be an integer >= ${min}, got ${String(value)}`);
  return n;
}

function flag(value: unknown, fallback: boolean): boolean {
  if (value === undefined || value === null || value === '') return fallback;
  return value !== false && value !== 'false' && value !== '0' && value !== 0;
}

/**
 * Reads pool settings out of a URL's query string (`?connectionLimit=20&acquireTimeout=500`) and
 * returns the URL without them; mysql2 parses the rest of the URL itself.
 */
function splitUrl(uri: string): { uri: string; pool: Partial<Record<PoolKey, string>> } {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    throw new TypeError('createPool: the connection string is not a URL; expected mysql://user:password@host:port/database');
  }
  const pool: Partial<Record<PoolKey, string>> = {};
  for (const key of POOL_KEYS) {
    const value = url.searchParams.get(key);
    if (value !== null) {
      pool[key] = value;
      url.searchParams.delete(key);
    }
  }
  return { uri: url.toString(), pool };
}

export function parsePoolConfig(config: string | PoolOptions): PoolConfig {
  if (typeof config !== 'string' && (typeof config !== 'object' || config === null)) {
    throw new TypeError('createPool: expected a mysql:// URL or an options object');
  }
  const options: Record<string, unknown> = typeof config === 'string' ? { uri: config } : { ...config };
  if (typeof options.uri === 'string') {
    const { uri, pool } = splitUrl(options.uri);
    options.uri = uri;
    // Explicit options win over the URL's query string.
    for (const [key, value] of Object.entries(pool)) if (options[key] === undefined) options[key] = value;
  }
  const settings = {
    connectionLimit: count('connectionLimit', options.connectionLimit, 10, 1),
    queueLimit: count('queueLimit', options.queueLimit, 0, 0),
    waitForConnections: flag(options.waitForConnections, true),
    acquireTimeout: count('acquireTimeout', options.acquireTimeout, 10_000, 0),
    maxIdle: 0,
    idleTimeout: count('idleTimeout', options.idleTimeout, 60_000, 1),
  };
  settings.maxIdle = Math.min(count('maxIdle', options.maxIdle, settings.connectionLimit, 0), settings.connectionLimit);
  if (flag(options.resetOnRelease, false)) {
    // Refused rather than ignored: a caller relying on it would otherwise leak session state.
    throw new TypeError('createPool: resetOnRelease is not supported by green-ts/mysql');
  }
  const connection: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(options)) {
    if (!(POOL_KEYS as readonly string[]).includes(key)) connection[key] = value;
  }
  return { ...settings, connection: connection as ConnectionOptions };
}
