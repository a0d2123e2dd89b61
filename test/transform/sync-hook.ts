// `node -r sync-hook.js plain/main.js`: resolve `green-ts` to the synchronous stand-ins (sync-runtime.ts).
import Module from 'node:module';
import * as path from 'node:path';

const standIn = path.join(__dirname, 'sync-runtime.js');
const M = Module as unknown as { _resolveFilename: (request: string, ...rest: unknown[]) => string };
const original = M._resolveFilename;
M._resolveFilename = function (request: string, ...rest: unknown[]): string {
  if (request === 'green-ts') return standIn;
  return original.call(this, request, ...rest);
};
