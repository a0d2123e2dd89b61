// bench/mysql: point queries (`SELECT ? + 1`) through green-ts/mysql, mysql2's callback pool and
// mysql2/promise's pool: same server, same process, same pool size, at concurrency 1 and 16.
// Rounds are interleaved (each round runs every contestant once per concurrency, in a rotating
// order) so drift in the machine falls on all three alike; the figure is the median round.
//
//   node dist/bench/mysql.js [--rounds 15] [--queries 10000] [--out bench/results/mysql.md]
//
// The green workers are written in the shape green-tsc emits for
//     /** @green */ async function worker() { while (left-- > 0) check(pool.query('SELECT ? + 1 AS n', [i])); }
// (a generator body yielding the frame of `pool.query`), so this measures the runtime and the
// pool, not the transformer. Needs a MySQL server (MYSQL_URL, else the local default, else a
// private mariadbd; see test/support/mysql.ts).
import { writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import mysql from 'mysql2';
import mysqlPromise from 'mysql2/promise';
import { run } from '../runtime/index.js';
import * as __g from '../runtime/internal.js';
import { createPool } from '../runtime/mysql/index.js';
import { mysqlUrl } from '../test/support/mysql.js';
import type { GreenFunction } from '../runtime/protocol.js';

const SQL = 'SELECT ? + 1 AS n';
const POOL_SIZE = 16;
const CONCURRENCIES = [1, 16] as const;
const CONTESTANTS = ['green-ts', 'mysql2 callback', 'mysql2/promise'] as const;
type Contestant = (typeof CONTESTANTS)[number];
/** One run: `queries` point queries by `concurrency` workers; resolves when all are answered. */
type Load = (concurrency: number, queries: number) => Promise<void>;

function arg(name: string, fallback: number): number;
function arg(name: string, fallback: string): string;
function arg(name: string, fallback: number | string): number | string {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const v = process.argv[i + 1]!;
  return typeof fallback === 'number' ? Number(v) : v;
}

function check(rows: unknown, i: number): void {
  const n = Number((rows as { n: unknown }[])[0]!.n);
  if (n !== i + 1) throw new Error(`wrong answer: SELECT ${i} + 1 gave ${n}`);
}

function greenLoad(url: string): { load: Load; close: () => Promise<void> } {
  const pool = createPool({ uri: url, connectionLimit: POOL_SIZE });
  const query = (pool.query as unknown as GreenFunction)[__g.BODY];
  const load: Load = (concurrency, queries) => {
    let left = queries;
    const worker = __g.fn(function* worker() {
      while (left > 0) {
        const i = --left;
        check(yield query.call(pool, SQL, [i]), i);
      }
    }, 'worker');
    return Promise.all(Array.from({ length: concurrency }, () => run(worker as unknown as () => void))).then(() => undefined);
  };
  return { load, close: () => pool.close() };
}

function callbackLoad(url: string): { load: Load; close: () => Promise<void> } {
  const pool = mysql.createPool({ uri: url, connectionLimit: POOL_SIZE });
  const load: Load = (concurrency, queries) => new Promise<void>((resolve, reject) => {
    let left = queries;
    let active = concurrency;
    const next = (): void => {
      if (left <= 0) {
        if (--active === 0) resolve();
        return;
      }
      const i = --left;
      pool.query(SQL, [i], (err, rows) => {
        if (err) return reject(err);
        try { check(rows, i); } catch (e) { return reject(e); }
        next();
      });
    };
    for (let w = 0; w < concurrency; w++) next();
  });
  return { load, close: () => new Promise<void>((r) => pool.end(() => r())) };
}

function promiseLoad(url: string): { load: Load; close: () => Promise<void> } {
  const pool = mysqlPromise.createPool({ uri: url, connectionLimit: POOL_SIZE });
  const load: Load = async (concurrency, queries) => {
    let left = queries;
    const worker = async (): Promise<void> => {
      while (left > 0) {
        const i = --left;
        const [rows] = await pool.query(SQL, [i]);
        check(rows, i);
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
  };
  return { load, close: () => pool.end() };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Client CPU µs per query of the latest `timed` run (user + system of this process). */
let lastCpuPerQuery = 0;

async function timed(load: Load, concurrency: number, queries: number): Promise<number> {
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  await load(concurrency, queries);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const used = process.cpuUsage(cpu);
  lastCpuPerQuery = (used.user + used.system) / queries;
  return queries / seconds;
}

async function main(): Promise<void> {
  const rounds = arg('rounds', 15);
  const queries = arg('queries', 10000);
  const out = arg('out', '');
  const url = await mysqlUrl();
  const loadAtStart = loadavg();
  const contestants: Record<Contestant, { load: Load; close: () => Promise<void> }> = {
    'green-ts': greenLoad(url),
    'mysql2 callback': callbackLoad(url),
    'mysql2/promise': promiseLoad(url),
  };
  // Warm-up: open every pool's connections, let V8 optimise the paths; not recorded.
  for (const name of CONTESTANTS) for (const c of CONCURRENCIES) await timed(contestants[name].load, c === 1 ? POOL_SIZE : c, queries / 4);

  const qps: Record<string, number[]> = {};
  const cpuUs: Record<string, number[]> = {};
  for (let round = 0; round < rounds; round++) {
    for (const c of CONCURRENCIES) {
      const n = c === 1 ? Math.ceil(queries / 4) : queries;
      for (let k = 0; k < CONTESTANTS.length; k++) {
        const name = CONTESTANTS[(round + k) % CONTESTANTS.length]!;
        const v = await timed(contestants[name].load, c, n);
        (qps[`${name}@${c}`] ??= []).push(v);
        (cpuUs[`${name}@${c}`] ??= []).push(lastCpuPerQuery);
      }
    }
    console.error(`round ${round + 1}/${rounds}: ` + CONCURRENCIES.map((c) => CONTESTANTS.map((name) => `${name}@${c} ${Math.round(qps[`${name}@${c}`]!.at(-1)!)}`).join(', ')).join(' | '));
  }
  for (const name of CONTESTANTS) await contestants[name].close();

  const [server] = await new Promise<unknown[]>((resolve, reject) => {
    const conn = mysql.createConnection({ uri: url });
    conn.query('SELECT VERSION() AS v', (err, rows) => { conn.end(); err ? reject(err) : resolve(rows as unknown[]); });
  });
  const lines: string[] = [];
  const med = (name: Contestant, c: number) => median(qps[`${name}@${c}`]!);
  lines.push('| concurrency | green-ts (q/s) | mysql2 callback pool (q/s) | mysql2/promise pool (q/s) | green / callback | green / promise |');
  lines.push('|---:|---:|---:|---:|---:|---:|');
  for (const c of CONCURRENCIES) {
    const g = med('green-ts', c), cb = med('mysql2 callback', c), p = med('mysql2/promise', c);
    lines.push(`| ${c} | ${Math.round(g)} | ${Math.round(cb)} | ${Math.round(p)} | ${(g / cb).toFixed(3)} | ${(g / p).toFixed(3)} |`);
  }
  lines.push('');
  lines.push('Client CPU per query (µs, user + system of the benchmark process; lower is better; less sensitive to a busy server than q/s):');
  lines.push('');
  lines.push('| concurrency | green-ts | mysql2 callback pool | mysql2/promise pool |');
  lines.push('|---:|---:|---:|---:|');
  for (const c of CONCURRENCIES) {
    lines.push(`| ${c} | ${CONTESTANTS.map((name) => median(cpuUs[`${name}@${c}`]!).toFixed(1)).join(' | ')} |`);
  }
  const spread = CONCURRENCIES.flatMap((c) => CONTESTANTS.map((name) => {
    const xs = qps[`${name}@${c}`]!;
    return `${name} @${c}: ${Math.round(Math.min(...xs))}–${Math.round(Math.max(...xs))}`;
  }));
  // Paired ratios: green-ts against each rival in the same round (so a slow stretch of the machine
  // hits both sides of a ratio alike), then the median over rounds.
  const paired = (rival: Contestant, c: number) =>
    median(qps[`green-ts@${c}`]!.map((g, r) => g / qps[`${rival}@${c}`]![r]!));
  lines.push('');
  lines.push('Median over rounds of the per-round ratio (each round runs all three back to back):');
  lines.push('');
  lines.push('| concurrency | green / callback | green / promise |');
  lines.push('|---:|---:|---:|');
  for (const c of CONCURRENCIES) lines.push(`| ${c} | ${paired('mysql2 callback', c).toFixed(3)} | ${paired('mysql2/promise', c).toFixed(3)} |`);
  const vsCallback = paired('mysql2 callback', 16);
  const vsPromise = paired('mysql2/promise', 16);
  const report = [
    '# bench/mysql: point queries through green-ts/mysql, mysql2\'s callback pool, mysql2/promise',
    '',
    '`SELECT ? + 1` (answer checked), each contestant with its own pool of the same size on the same server,',
    'in one process; rounds interleaved with a rotating order; the figure is the median round.',
    `Reproduce: \`npx tsc -p tsconfig.json && node dist/bench/mysql.js --rounds ${rounds} --queries ${queries} --out bench/results/mysql.md\`.`,
    '',
    `Machine: ${availableParallelism()} CPUs (nproc), ${[...new Set(cpus().map((c) => c.model.trim()))].join(', ')}; Node ${process.version}; ` +
      `server ${(server as { v: string }).v} on loopback; ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC; ` +
      `load average at start ${loadAtStart.map((l) => l.toFixed(2)).join(' ')}, at end ${loadavg().map((l) => l.toFixed(2)).join(' ')}.`,
    `Settings: pool size ${POOL_SIZE} for all three; ${rounds} rounds; per round ${Math.ceil(queries / 4)} queries at concurrency 1 and ${queries} at concurrency 16.`,
    '',
    ...lines,
    '',
    `Targets at concurrency 16 (paired ratios): green-ts ≥ 0.95× the callback pool: ${vsCallback.toFixed(3)}× (${vsCallback >= 0.95 ? 'met' : 'missed'}); ` +
      `≥ 1.0× the promise pool: ${vsPromise.toFixed(3)}× (${vsPromise >= 1 ? 'met' : 'missed'}).`,
    '',
    `Range over rounds (q/s): ${spread.join('; ')}.`,
  ].join('\n');
  console.log(report);
  if (out) writeFileSync(out, report + '\n');
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
