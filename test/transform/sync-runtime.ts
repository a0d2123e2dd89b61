// Synchronous stand-ins of the green-ts runtime primitives, for the differential tests: a fixture
// compiled by plain tsc (no transform) runs against these; its stdout must equal the transformed
// run's. Everything completes at once: sleep does not wait, wait() of a settled value returns it,
// suspend() requires its operation to resume synchronously, threads run to completion when started.
/* eslint-disable @typescript-eslint/no-explicit-any */

export class GreenContextError extends Error { override name = 'GreenContextError'; }
export class CancelledError extends Error { override name = 'CancelledError'; }
export class TimeoutError extends Error { override name = 'TimeoutError'; }

const settled = new WeakMap<object, { ok: boolean; value: unknown }>();

export function wait<T>(value: PromiseLike<T> | T): T {
  if (value && typeof (value as PromiseLike<T>).then === 'function') {
    const s = settled.get(value as object);
    if (s) { if (s.ok) return s.value as T; throw s.value; }
    throw new Error('sync stand-in: wait() on a pending promise');
  }
  return value as T;
}
export function sleep(_ms: number): void {}
export function yieldNow(): void {}
export function suspend<T>(start: (resume: (error: unknown, value?: T) => void) => (() => void) | void): T {
  let done = false; let err: unknown; let val: T | undefined;
  start((e, v) => { if (done) return; done = true; err = e; val = v; });
  if (!done) throw new Error('sync stand-in: suspend() did not resume synchronously');
  if (err) throw err;
  return val as T;
}
export function all(fns: readonly (() => unknown)[]): any { return fns.map((f) => f()); }
export function race(fns: readonly (() => unknown)[]): any { return fns[0]!(); }
export function timeout<T>(_ms: number, fn: () => T): T { return fn(); }

export class Thread<T> {
  readonly promise: Promise<T>;
  done = false;
  private outcome: { ok: boolean; value: unknown };
  constructor(fn: () => T) {
    try { this.outcome = { ok: true, value: fn() }; } catch (e) { this.outcome = { ok: false, value: e }; }
    this.done = true;
    this.promise = this.outcome.ok ? Promise.resolve(this.outcome.value as T) : Promise.reject(this.outcome.value);
    if (!(this.outcome.value instanceof Promise)) settled.set(this.promise, this.outcome);
  }
  join(): T { if (this.outcome.ok) return wait(this.outcome.value as T); throw this.outcome.value; }
  cancel(_reason?: unknown): void {}
}
export function run<T>(fn: () => T): Promise<T> { return new Thread(fn).promise; }
export function spawn<T>(fn: () => T): Thread<T> { return new Thread(fn); }
export function current(): undefined { return undefined; }

export class Local<T> {
  private value: T | undefined;
  constructor(private readonly initial?: T) { this.value = initial; }
  get(): T | undefined { return this.value; }
  set(v: T): void { this.value = v; }
}

export function green(...args: any[]): any {
  if (args.length === 1) return args[0];
  if (args.length === 3) return args[2];
  return undefined;
}

export class Semaphore {
  constructor(private permits = 1) {}
  acquire(): void { if (this.permits <= 0) throw new Error('sync stand-in: semaphore would block'); this.permits--; }
  release(): void { this.permits++; }
}
export class Event {
  private set_ = false;
  set(): void { this.set_ = true; }
  isSet(): boolean { return this.set_; }
  wait(): void { if (!this.set_) throw new Error('sync stand-in: event would block'); }
}
export class Queue<T> {
  private items: T[] = [];
  put(v: T): void { this.items.push(v); }
  get(): T { if (!this.items.length) throw new Error('sync stand-in: queue would block'); return this.items.shift()!; }
}
export function isGreen(_f: unknown): boolean { return false; }
