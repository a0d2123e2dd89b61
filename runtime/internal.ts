// green-ts/internal: the entry points emitted code calls. The shapes are defined in ./protocol.ts.
export { BODY, SYNC, ENTRY } from './protocol.js';
