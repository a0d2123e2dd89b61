// Child-process entry: runs compiled fuzz programs one after another and records what each prints.
//   node dist/test/fuzz/runner.js <jobs.json> <results.jsonl>
// jobs.json: [{ "id": string, "file": string }]. Each program's module exports `done`, the promise of
// its main(); console.log is captured per program; uncaught errors and unhandled rejections are
// recorded in the output of the program running at the time. One JSON line per program is appended
// to results.jsonl as soon as it finishes, so the parent can restart after a hang (a synchronous
// infinite loop) and lose only the program that hung.
import * as fs from 'node:fs';
import { format } from 'node:util';

interface Job { id: string; file: string }
interface Result { id: string; out: string[]; ms: number }

const [jobsFile, resultsFile] = process.argv.slice(2);
const jobs = JSON.parse(fs.readFileSync(jobsFile!, 'utf8')) as Job[];
const ASYNC_TIMEOUT_MS = Number(process.env.GREEN_FUZZ_TIMEOUT_MS ?? 10000);

let current: Result | undefined;
const note = (line: string) => current?.out.push(line);
console.log = (...xs: unknown[]) => note(format(...xs));
console.info = console.log;
const describe = (e: unknown) => (e instanceof Error ? `${e.name}: ${e.message}` : String(e));
process.on('uncaughtException', (e) => note(`!! uncaught exception: ${describe(e)}`));
process.on('unhandledRejection', (e) => note(`!! unhandled rejection: ${describe(e)}`));

async function main(): Promise<void> {
  for (const job of jobs) {
    const t0 = Date.now();
    current = { id: job.id, out: [], ms: 0 };
    try {
      const mod = require(job.file) as { done?: PromiseLike<unknown> };
      if (!mod.done || typeof mod.done.then !== 'function') note('!! the program exports no `done` promise');
      else {
        let timer: NodeJS.Timeout | undefined;
        const timedOut = await Promise.race([
          Promise.resolve(mod.done).then(() => false),
          new Promise<boolean>((resolve) => (timer = setTimeout(resolve, ASYNC_TIMEOUT_MS, true))),
        ]);
        clearTimeout(timer);
        if (timedOut) note(`!! timeout: main() did not settle within ${ASYNC_TIMEOUT_MS} ms`);
      }
    } catch (e) {
      note(`!! loading the program threw: ${describe(e)}`);
    }
    // let stray callbacks of this program land in its own output
    await new Promise((resolve) => setImmediate(resolve));
    current.ms = Date.now() - t0;
    fs.appendFileSync(resultsFile!, JSON.stringify(current) + '\n');
  }
  current = undefined;
}

main().then(
  () => process.exit(0),
  (e) => {
    process.stderr.write(`runner failed: ${describe(e)}\n`);
    process.exit(2);
  },
);
