// Green-thread-local storage (DESIGN.md "Runtime API": `new Local<T>()` with get/set).

import { current } from './thread.js';

/**
 * A value per green thread, like a gevent/greenlet `local`: each thread sees only what it set.
 *
 * Not inherited: a child thread (`spawn`, `run`, and the children of `all` / `race`) starts with
 * nothing set, whatever its parent had; it sees `initial`. Code outside any green thread has one
 * slot of its own. Values are dropped with their thread.
 */
export class Local<T> {
  private readonly initial: T | undefined;
  private outside: T | undefined;
  private outsideSet = false;

  constructor(initial?: T) {
    this.initial = initial;
    this.outside = undefined;
  }

  /** This thread's value, or `initial` if it set none. */
  get(): T | undefined {
    const thread = current();
    if (thread === undefined) return this.outsideSet ? this.outside : this.initial;
    const locals = thread.locals(false);
    if (locals === undefined || !locals.has(this)) return this.initial;
    return locals.get(this) as T;
  }

  set(value: T): void {
    const thread = current();
    if (thread === undefined) {
      this.outside = value;
      this.outsideSet = true;
      return;
    }
    thread.locals(true)!.set(this, value);
  }

  /** Forget this thread's value (`get()` then returns `initial`). */
  delete(): void {
    const thread = current();
    if (thread === undefined) {
      this.outside = undefined;
      this.outsideSet = false;
      return;
    }
    thread.locals(false)?.delete(this);
  }
}
