// Child-process entry (forked with IPC by ./exec.ts): runs compiled fuzz programs one at a time and
// sends back what each printed. A job is `{ id, file }`; the program's module exports `done`, the
// promise of its main(). console.log is captured per program; uncaught errors and unhandled
// rejections are recorded in the output of the program running at the time. A synchronous
// infinite loop hangs this process: the parent's watchdog kills it and starts another.
import { format } from 'node:util';

interface Job { id: string; file: string }
interface Result { id: string; out: string[]; ms: number }

const ASYNC_TIMEOUT_MS = Number(process.env.GREEN_FUZZ_TIMEOUT_MS ?? 10000);

let current: Result | undefined;
const note = (line: string) => current?.out.push(line);
console.log = (...xs: unknown[]) => note(format(...xs));
console.info = console.log;
const describe = (e: unknown) => (e instanceof Error ? `${e.name}: ${e.message}` : String(e));
process.on('uncaughtException', (e) => note(`!! uncaught exception: ${describe(e)}`));
process.on('unhandledRejection', (e) => note(`!! unhandled rejection: ${describe(e)}`));

async function runOne(job: Job): Promise<Result> {
  const t0 = Date.now();
  const result: Result = { id: job.id, out: [], ms: 0 };
  current = result;
  try {
    // the same path is reused (the minimiser's scratch directories, repeated runs): never a cached module
    delete require.cache[require.resolve(job.file)];
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
  current = undefined;
  delete require.cache[job.file];
  result.ms = Date.now() - t0;
  return result;
}

let queue = Promise.resolve();
process.on('message', (job: Job) => {
  queue = queue.then(async () => {
    const r = await runOne(job);
    process.send!(r);
  });
});
process.on('disconnect', () => process.exit(0));
