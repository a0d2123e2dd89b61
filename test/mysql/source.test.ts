// The layer as users write it: plain TypeScript repository code compiled by green-tsc, which learns
// that pool.query / one / run / transaction suspend from the `@suspends` tags of green-ts/mysql's
// .d.ts, and that the arrows passed to transaction() are green from its `@green` parameter.
// No hand-written generators here: this checks the published contract end to end.
import test from 'ava';
import { execFile } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { mysqlUrl } from '../support/mysql.js';

const exec = promisify(execFile);
const root = join(__dirname, '..', '..', '..');
const dir = join(root, 'test', '.out', `mysql-source-${process.pid}`);
const table = `gts_source_${process.pid}`;

const repo = `
import { createPool, sql, type Pool } from 'green-ts/mysql';

let current: Pool | undefined;
export function open(url: string): Pool { return (current = createPool({ uri: url, connectionLimit: 3 })); }
const pool = (): Pool => current!;
const T = sql.id(${JSON.stringify(table)});

// Repository code: no async, no await, no connection passed around.
export function addItem(name: string): void { pool().run(sql\`INSERT INTO \${T} (name) VALUES (\${name})\`); }
export function countItems(): number { return Number(pool().one<{ n: number }>(sql\`SELECT COUNT(*) AS n FROM \${T}\`)!.n); }
export function connectionId(): number { return Number(pool().one<{ id: number }>('SELECT CONNECTION_ID() AS id')!.id); }
export function addTwo(a: string, b: string): number[] { addItem(a); const first = connectionId(); addItem(b); return [first, connectionId()]; }
`;

const main = `
import { timeout, TimeoutError } from 'green-ts';
import { addItem, addTwo, connectionId, countItems, open } from './repo.js';

const pool = open(process.argv[2]!);

/** @green */
async function scenario() {
  pool.run(${JSON.stringify(`CREATE TABLE IF NOT EXISTS ${table} (name VARCHAR(50) PRIMARY KEY)`)});
  const ids = pool.transaction(() => { const ids = addTwo('a', 'b'); return [...ids, connectionId()]; });
  let rolledBack = false;
  try {
    pool.transaction(() => { addItem('c'); pool.transaction(() => addItem('d')); throw new Error('undo'); });
  } catch (e) { rolledBack = (e as Error).message === 'undo'; }
  let timedOut = false;
  try { timeout(100, () => pool.query('SELECT SLEEP(3)')); } catch (e) { timedOut = e instanceof TimeoutError; }
  const count = countItems();
  pool.run(${JSON.stringify(`DROP TABLE ${table}`)});
  return { ids, rolledBack, timedOut, count, stats: pool.stats() };
}

scenario().then(async (r) => { console.log(JSON.stringify(r)); await pool.close(); }, (e) => { console.error(e); process.exit(1); });
`;

test.after.always(() => rmSync(dir, { recursive: true, force: true }));

test('repository code compiled by green-tsc: ambient transactions, savepoints, timeout, typed rows', async (t) => {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'repo.ts'), repo);
  writeFileSync(join(dir, 'main.ts'), main);
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({
    compilerOptions: {
      target: 'ES2022', module: 'node16', moduleResolution: 'node16', lib: ['ES2023'], types: ['node'],
      strict: true, esModuleInterop: true, skipLibCheck: true, outDir: 'out', rootDir: '.',
    },
    include: ['*.ts'],
  }));
  await exec(process.execPath, [join(root, 'bin', 'green-tsc.js'), '-p', join(dir, 'tsconfig.json')], { cwd: root })
    .catch((e: { stdout?: string; stderr?: string }) => t.fail(`green-tsc failed:\n${e.stdout}${e.stderr}`));
  const { stdout } = await exec(process.execPath, [join(dir, 'out', 'main.js'), await mysqlUrl()], { cwd: root, timeout: 60_000 });
  const r = JSON.parse(stdout) as { ids: number[]; rolledBack: boolean; timedOut: boolean; count: number; stats: object };
  t.is(new Set(r.ids).size, 1, 'every query of the transaction, however deep, used its connection');
  t.true(r.rolledBack);
  t.true(r.timedOut);
  t.is(r.count, 2, 'a and b committed; c and d (a savepoint inside the rolled-back transaction) undone');
  const stats = r.stats as { total: number; idle: number; busy: number; waiting: number };
  t.deepEqual([stats.busy, stats.waiting, stats.total - stats.idle], [0, 0, 0], 'back to idle after the timed-out statement');
});
