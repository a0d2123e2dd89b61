// green-ts: the public runtime API (DESIGN.md "Runtime API — green-ts").
export { isGreen } from './protocol.js';
