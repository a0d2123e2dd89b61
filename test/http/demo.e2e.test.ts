// e2e: the green demo service (examples/, built with green-tsc) against real MySQL.
import test from 'ava';
import { mysqlUrl } from '../support/mysql.js';
import { databaseName, ownDatabase } from './support/database.js';
import { endpointTests } from './support/endpoint-tests.js';
import { spec, start } from './support/services.js';

endpointTests('green');

test('green: --workers 2 serves through node:cluster', async (t) => {
  // Runs after endpointTests' before() hook has built the service.
  const dbUrl = await ownDatabase(await mysqlUrl(), databaseName('green'));
  const svc = await start(spec('green'), { mysqlUrl: dbUrl, args: ['--workers', '2'] });
  try {
    t.regex(svc.output(), /\(2 workers\)/);
    for (const path of ['/json', '/db', '/fortunes']) t.is((await fetch(svc.url + path)).status, 200, path);
  } finally {
    await svc.stop();
  }
});
