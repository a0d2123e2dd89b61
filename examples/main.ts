// The demo service: Express on MySQL, handlers and repositories in green style.
//   PORT (default 8080), MYSQL_URL (default mysql://root@127.0.0.1:3306/test), POOL_SIZE (16),
//   --workers N (node:cluster). Creates and seeds its tables at start.
import { once } from 'node:events';
import { createApp } from './app.js';
import { openPool } from './db.js';
import { readConfig } from './lib/config.js';
import { serve } from './lib/serve.js';

const config = readConfig();
let pool: ReturnType<typeof openPool> | undefined;

serve('green-ts demo', config, {
  async listen(cfg) {
    pool = openPool(cfg.mysqlUrl, cfg.poolSize);
    const server = createApp().listen(cfg.port, cfg.host);
    await once(server, 'listening');
    return server;
  },
  async close() { await pool?.close(); },
}).catch((err) => { console.error(err); process.exit(1); });
