// bench/http: the green demo (examples/, green-tsc) against its async/await twin (examples/async/,
// plain tsc), same Express, same pool size, same database, loopback only. For each endpoint the two
// services are loaded in turn, alternating which goes first each round, so drift in the machine
// (MariaDB's buffer pool, CPU frequency, other load) falls on both alike.
//
//   node dist/bench/http.js [--duration 10] [--rounds 3] [--connections 32] [--warmup 3] [--priority 0]
//                           [--out bench/results/http.md]
//
// --priority N (e.g. -5, as root) runs the bench and both services at that scheduling priority, so
// that on a machine shared with other work they are less disturbed by it; MySQL's priority is left
// as it is.
//
// Needs `npx tsc -p tsconfig.json` first (it builds the two services itself) and a MySQL server
// (MYSQL_URL, else the local default, else a private mariadbd; see test/support/mysql.ts).
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { loadavg, setPriority } from 'node:os';
import { cpuSeconds } from './http-cpu.js';
import { cpus, nproc } from './http-machine.js';
import { autocannon, type AutocannonResult } from './http-autocannon.js';
import { mysqlUrl } from '../test/support/mysql.js';
import { ownDatabase } from '../test/http/support/database.js';
import { build, repoRoot, spec, start, type Kind, type RunningService } from '../test/http/support/services.js';
import { join } from 'node:path';

const ENDPOINTS = ['/db', '/queries?queries=20', '/fortunes', '/updates?queries=5'];
const TARGET = 0.97;

function arg(name: string, fallback: number): number;
function arg(name: string, fallback: string): string;
function arg(name: string, fallback: number | string): number | string {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const v = process.argv[i + 1];
  return typeof fallback === 'number' ? Number(v) : v;
}

/** The two services the benchmark compares (not the stress build of the e2e tests). */
type Compared = Exclude<Kind, 'green-stress'>;
interface Sample { kind: Compared; endpoint: string; round: number; rps: number; p99: number; errors: number; non2xx: number; load: number; cpuUs: number }

async function load(svc: RunningService, endpoint: string, seconds: number, connections: number): Promise<AutocannonResult> {
  return autocannon({ url: svc.url + endpoint, connections, duration: seconds, timeout: 10 });
}

function mean(xs: number[]): number { return xs.reduce((a, b) => a + b, 0) / xs.length; }

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

async function main(): Promise<void> {
  const duration = arg('duration', 10);
  const rounds = arg('rounds', 3);
  const connections = arg('connections', 32);
  const warmup = arg('warmup', 3);
  const out = arg('out', join(repoRoot(), 'bench', 'results', 'http.md'));
  const poolSize = process.env.POOL_SIZE ?? '16';
  const priority = arg('priority', 0);
  if (priority) setPriority(priority);

  const dbUrl = await ownDatabase(await mysqlUrl(), 'green_ts_bench');
  const specs = { green: spec('green'), async: spec('async') };
  console.error('building both services ...');
  await Promise.all([build(specs.green), build(specs.async)]);
  const services: Record<Compared, RunningService> = {
    green: await start(specs.green, { mysqlUrl: dbUrl, env: { POOL_SIZE: poolSize } }),
    async: await start(specs.async, { mysqlUrl: dbUrl, env: { POOL_SIZE: poolSize } }),
  };
  if (priority) for (const svc of Object.values(services)) setPriority(svc.process.pid!, priority);
  const samples: Sample[] = [];
  const stopAll = () => Promise.all([services.green.stop(), services.async.stop()]);
  for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => { void stopAll().then(() => process.exit(130)); });
  try {
    for (const endpoint of ENDPOINTS) {
      for (const kind of ['green', 'async'] as const) {
        console.error(`warm-up ${kind} ${endpoint} (${warmup}s)`);
        await load(services[kind], endpoint, warmup, connections);
      }
      for (let round = 1; round <= rounds; round++) {
        const order: Compared[] = round % 2 === 1 ? ['green', 'async'] : ['async', 'green'];
        for (const kind of order) {
          const load1 = loadavg()[0];
          const pid = services[kind].process.pid!;
          const cpu0 = cpuSeconds(pid) ?? NaN;
          const r = await load(services[kind], endpoint, duration, connections);
          const cpuUs = ((cpuSeconds(pid) ?? NaN) - cpu0) * 1e6 / r.requests.total;
          const s = { kind, endpoint, round, rps: r.requests.average, p99: r.latency.p99, errors: r.errors + r.timeouts, non2xx: r.non2xx, load: load1, cpuUs };
          samples.push(s);
          console.error(`${endpoint} round ${round} ${kind}: ${s.rps.toFixed(0)} req/s, p99 ${s.p99} ms, errors ${s.errors}, non-2xx ${s.non2xx}, load ${load1.toFixed(2)}, cpu ${cpuUs.toFixed(0)} us/req`);
        }
      }
    }
  } finally {
    await stopAll();
  }
  const report = render(samples, { duration, rounds, connections, warmup, poolSize, priority });
  writeFileSync(out, report);
  console.log(report);
}

function render(samples: Sample[], o: { duration: number; rounds: number; connections: number; warmup: number; poolSize: string; priority: number }): string {
  const node = process.version;
  const date = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  let mariadb = 'unknown';
  try { mariadb = execFileSync('mariadbd', ['--version'], { encoding: 'utf8' }).trim(); } catch { /* not on PATH */ }
  const lines = [
    '# bench/http: green-ts vs async/await on Express + MySQL',
    '',
    'Produced by `node dist/bench/http.js` (source: bench/http.ts). The green demo (examples/, built with',
    'green-tsc, handlers and repositories in green style) against its async/await twin (examples/async/,',
    'plain tsc, mysql2/promise): same Express 5, same endpoints and queries, same pool size, same database,',
    'one process each, loopback only. autocannon runs in the bench process. Per endpoint: a warm-up of each',
    'service, then rounds that load one service at a time, alternating which goes first.',
    '',
    `- date: ${date}`,
    `- machine: ${nproc()} cores (nproc), CPU: ${cpus()}`,
    `- Node ${node}; ${mariadb}`,
    `- autocannon: ${o.connections} connections, ${o.duration} s per run, ${o.rounds} rounds per service and endpoint, warm-up ${o.warmup} s; POOL_SIZE ${o.poolSize}` +
      (o.priority ? `; bench and services at scheduling priority ${o.priority} (MySQL not)` : ''),
    `- target: green req/s >= ${TARGET} x async/await req/s on each endpoint`,
    '',
    '| endpoint | green req/s | async req/s | green / async | green p99 ms | async p99 ms | target | green CPU µs/req | async CPU µs/req |',
    '| --- | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: |',
  ];
  // The ratio is the median over rounds of green / async within a round: the two runs of a round
  // are back to back, so a change in the machine's other load between rounds cancels out.
  const endpoints = [...new Set(samples.map((s) => s.endpoint))];
  for (const e of endpoints) {
    const g = samples.filter((s) => s.endpoint === e && s.kind === 'green');
    const a = samples.filter((s) => s.endpoint === e && s.kind === 'async');
    const ratio = median(g.map((s) => s.rps / a.find((x) => x.round === s.round)!.rps));
    lines.push(`| \`${e}\` | ${mean(g.map((s) => s.rps)).toFixed(0)} | ${mean(a.map((s) => s.rps)).toFixed(0)} | ${ratio.toFixed(3)} | ` +
      `${mean(g.map((s) => s.p99)).toFixed(1)} | ${mean(a.map((s) => s.p99)).toFixed(1)} | ${ratio >= TARGET ? 'met' : 'missed'} | ` +
      `${median(g.map((s) => s.cpuUs)).toFixed(0)} | ${median(a.map((s) => s.cpuUs)).toFixed(0)} |`);
  }
  const load = mean(samples.map((s) => s.load));
  if (load > nproc()) {
    lines.push('', `Note: the machine was busy with other work during these runs (mean 1-minute load average ${load.toFixed(1)} ` +
      `on ${nproc()} cores), so req/s and p99 swing from run to run; CPU µs/req, which counts only the service's own ` +
      'work, is the steadier measure of what each way costs.');
  }
  lines.push('', 'req/s and p99: means over the rounds; green / async: the median over rounds of the ratio within a round;',
    'CPU µs/req: the service process\'s user + system CPU time (from /proc) over the requests it answered, median over rounds.',
    'Every run, in the order it ran (load: the 1-minute load average when the run started):', '',
    '| endpoint | round | service | req/s | p99 ms | errors | non-2xx | load | CPU µs/req |', '| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const s of samples) {
    lines.push(`| \`${s.endpoint}\` | ${s.round} | ${s.kind} | ${s.rps.toFixed(0)} | ${s.p99} | ${s.errors} | ${s.non2xx} | ${s.load.toFixed(2)} | ${s.cpuUs.toFixed(0)} |`);
  }
  return lines.join('\n') + '\n';
}

main().catch((err) => { console.error(err); process.exit(1); });
