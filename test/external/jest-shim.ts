// A minimal stand-in for the parts of Jest that external packages' tests use (`describe`, `it` /
// `test`, `expect` with the common matchers), for running those tests compiled with green-ts in stress
// mode (test/external/run.sh). `it`'s callback parameter is `@green` for synchronous test bodies: each
// is a root, so the package's code it calls is green context and stress mode colors it. An `async`
// body stays a plain async function (the other overload): it may use `for await`, which green code
// cannot. Tests run one at a time, each sync one in its own green thread; the summary line is
// "N passed, N failed".
import { isGreen, run } from 'green-ts';
import { inspect, isDeepStrictEqual } from 'node:util';

type Body = () => unknown;
const tests: { name: string; fn: Body }[] = [];
const prefix: string[] = [];

export function describe(name: string, fn: () => void): void {
  prefix.push(name);
  try { fn(); } finally { prefix.pop(); }
}

/** `describe.each(rows)(name, fn)`: one `describe` a row, the row spread into `fn`'s arguments when it is an array. */
describe.each = (rows: readonly unknown[]) => (name: string, fn: (...row: any[]) => void): void => {
  for (const row of rows) describe(name, () => fn(...(Array.isArray(row) ? row : [row])));
};

export function it(name: string, fn: () => Promise<unknown>): void;
export function it(name: string, /** @green */ fn: Body): void;
export function it(name: string, fn: Body): void {
  tests.push({ name: [...prefix, name].join(' > '), fn });
}
export const test = it;

class Failure extends Error {}

function check(ok: boolean, what: string, actual: unknown, expected?: unknown): void {
  if (!ok) throw new Failure(`expected ${inspect(actual, { depth: 4 })} ${what}${expected === undefined ? '' : ' ' + inspect(expected, { depth: 4 })}`);
}

function thrown(f: unknown): { threw: boolean; error?: unknown } {
  try { (f as () => unknown)(); return { threw: false }; } catch (error) { return { threw: true, error }; }
}

function matches(error: unknown, expected?: unknown): boolean {
  if (expected === undefined) return true;
  const message = error instanceof Error ? error.message : String(error);
  if (typeof expected === 'string') return message.includes(expected);
  if (expected instanceof RegExp) return expected.test(message);
  if (typeof expected === 'function') return error instanceof (expected as new () => unknown);
  return isDeepStrictEqual(error, expected);
}

function matchers(actual: unknown, negate: boolean) {
  const is = (ok: boolean) => (negate ? !ok : ok);
  const not = negate ? 'not ' : '';
  return {
    toEqual(expected: unknown) { check(is(isDeepStrictEqual(normalise(actual), normalise(expected))), `${not}to equal`, actual, expected); },
    toStrictEqual(expected: unknown) { check(is(isDeepStrictEqual(actual, expected)), `${not}to strictly equal`, actual, expected); },
    toBe(expected: unknown) { check(is(Object.is(actual, expected)), `${not}to be`, actual, expected); },
    toBeTruthy() { check(is(!!actual), `${not}to be truthy`, actual); },
    toBeFalsy() { check(is(!actual), `${not}to be falsy`, actual); },
    toBeUndefined() { check(is(actual === undefined), `${not}to be undefined`, actual); },
    toBeNull() { check(is(actual === null), `${not}to be null`, actual); },
    toBeInstanceOf(c: Function) { check(is(actual instanceof c), `${not}to be an instance of`, actual, c.name); },
    toHaveLength(n: number) { check(is((actual as { length: number }).length === n), `${not}to have length`, actual, n); },
    toContain(x: unknown) { check(is((actual as unknown[]).includes(x)), `${not}to contain`, actual, x); },
    toBeCloseTo(expected: number, digits = 2) { check(is(Math.abs((actual as number) - expected) < 10 ** -digits / 2), `${not}to be close to`, actual, expected); },
    toThrow(expected?: unknown) { const r = thrown(actual); check(is(r.threw && matches(r.error, expected)), `${not}to throw`, r.error ?? actual, expected); },
  };
}

/** Jest's toEqual ignores undefined properties and compares iterables' contents only through their own fields. */
function normalise(x: unknown): unknown {
  if (Array.isArray(x)) return x.map(normalise);
  if (x && typeof x === 'object' && Object.getPrototypeOf(x) === Object.prototype) {
    return Object.fromEntries(Object.entries(x).filter(([, v]) => v !== undefined).map(([k, v]) => [k, normalise(v)]));
  }
  return x;
}

export function expect(actual: unknown) {
  return { ...matchers(actual, false), not: matchers(actual, true) };
}

setImmediate(async () => {
  let passed = 0, failed = 0;
  for (const t of tests) {
    try { await (isGreen(t.fn) ? run(t.fn) : t.fn()); passed++; } catch (e) { failed++; console.log(`FAIL ${t.name}\n  ${e instanceof Error ? e.stack : String(e)}`); }
  }
  console.log(`${passed} passed, ${failed} failed`);
  process.exitCode = failed ? 1 : 0;
});
