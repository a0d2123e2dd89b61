// Reads the service's settings from argv and the environment. Both services (green and async/await)
// use this one reader so the benchmark compares them under identical settings.
export const DEFAULT_MYSQL_URL = 'mysql://root@127.0.0.1:3306/test';

export interface Config {
  /** TCP port; 0 asks the OS for a free one (the tests do, and read the port from the log line). */
  port: number;
  host: string;
  mysqlUrl: string;
  /** `--workers N`: N > 1 forks N processes with node:cluster. */
  workers: number;
  /** Connections per process, the same for both services so neither wins on pool size. */
  poolSize: number;
}

function intOr(value: string | undefined, fallback: number, what: string): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${what} must be a non-negative integer, got ${JSON.stringify(value)}`);
  return n;
}

/** `--workers N`, `--workers=N` or `-w N`. */
function workersArg(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--workers' || a === '-w') return argv[i + 1];
    if (a.startsWith('--workers=')) return a.slice('--workers='.length);
  }
  return undefined;
}

export function readConfig(argv: readonly string[] = process.argv.slice(2), env: NodeJS.ProcessEnv = process.env): Config {
  const workers = intOr(workersArg(argv), 1, '--workers');
  return {
    port: intOr(env.PORT, 8080, 'PORT'),
    host: env.HOST || '127.0.0.1',
    mysqlUrl: env.MYSQL_URL || DEFAULT_MYSQL_URL,
    workers: Math.max(1, workers),
    poolSize: Math.max(1, intOr(env.POOL_SIZE, 16, 'POOL_SIZE')),
  };
}
