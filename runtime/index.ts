// green-ts: the public runtime API (DESIGN.md "Runtime API — green-ts").
//
// Green-only (each may suspend; `@suspends` in the .d.ts): wait, sleep, suspend, yieldNow, all,
// race, timeout, Thread#join, Semaphore#acquire, Event#wait, Queue#get, Queue#put.
// Anywhere: run, spawn, current, Thread, Local, green, isGreen, and the error classes.
export { wait, sleep, suspend, yieldNow, all, race, timeout } from './primitives.js';
export { run, spawn, current, Thread } from './thread.js';
export { Local } from './local.js';
export { green } from './wrappers.js';
export { Semaphore, Event, Queue } from './channels.js';
export { GreenContextError, CancelledError, TimeoutError } from './errors.js';
export { isGreen } from './protocol.js';
