// The async/await twin of the demo service: same endpoints, same rules, same pool size, same Express.
import express from 'express';
import { once } from 'node:events';
import { readConfig } from '../lib/config.js';
import { errorMiddleware } from '../lib/errors.js';
import { serve } from '../lib/serve.js';
import { createPool } from './db.js';
import { routes } from './routes.js';

const config = readConfig();
let pool: ReturnType<typeof createPool> | undefined;

serve('async/await service', config, {
  async listen(cfg) {
    pool = createPool(cfg.mysqlUrl, cfg.poolSize);
    const app = express();
    app.disable('x-powered-by');
    app.use(express.json());
    app.use(routes(pool));
    app.use(errorMiddleware);
    const server = app.listen(cfg.port, cfg.host);
    await once(server, 'listening');
    return server;
  },
  async close() { await pool?.end(); },
}).catch((err) => { console.error(err); process.exit(1); });
