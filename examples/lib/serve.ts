// Process plumbing shared by both services: schema at start, one process or `--workers N` with
// node:cluster, a log line that says where it listens (the tests and the bench read the port from
// it), and a clean exit on SIGTERM / SIGINT.
import cluster from 'node:cluster';
import type { Server } from 'node:http';
import type { Config } from './config.js';
import { ensureSchema } from './schema.js';

export interface Service {
  /** Starts serving on config.port; resolves with the server once it listens. */
  listen(config: Config): Promise<Server>;
  /** Releases the process's resources (the pool) after the server has closed. */
  close(): Promise<void>;
}

export async function serve(name: string, config: Config, service: Service): Promise<void> {
  if (config.workers > 1 && cluster.isPrimary) return primary(name, config);
  if (cluster.isPrimary) await ensureSchema(config.mysqlUrl);
  const server = await service.listen(config);
  const addr = server.address() as { port: number };
  if (cluster.isPrimary) console.log(`${name} listening on http://${config.host}:${addr.port}`);
  const stop = () => {
    server.close(() => { service.close().finally(() => process.exit(0)); });
    server.closeAllConnections?.();
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

async function primary(name: string, config: Config): Promise<void> {
  await ensureSchema(config.mysqlUrl);
  let stopping = false;
  let listening = 0;
  cluster.on('listening', (_worker, addr) => {
    // With PORT=0 every worker gets the same port from the primary, so one line says it all.
    if (++listening === config.workers) {
      console.log(`${name} listening on http://${config.host}:${addr.port} (${config.workers} workers)`);
    }
  });
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) return;
    console.error(`${name}: worker ${worker.process.pid} exited (${signal ?? code}); starting another`);
    cluster.fork();
  });
  for (let i = 0; i < config.workers; i++) cluster.fork();
  const stop = () => {
    stopping = true;
    for (const w of Object.values(cluster.workers ?? {})) w?.process.kill('SIGTERM');
    cluster.disconnect(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}
