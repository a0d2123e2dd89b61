// green-ts/http: the HTTP adapter (DESIGN.md "HTTP").
export { handler, type RequestHandler } from './handler.js';
export type { Next } from './fail.js';
