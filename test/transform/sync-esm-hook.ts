// `node --import sync-esm-hook.js plain/main.mjs`: the ESM counterpart of sync-hook.ts.
import { register } from 'node:module';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

const standIn = pathToFileURL(path.join(__dirname, 'sync-runtime.js')).href;
const hooks = `export async function resolve(specifier, context, next) {
  if (specifier === 'green-ts') return { url: ${JSON.stringify(standIn)}, shortCircuit: true, format: 'commonjs' };
  return next(specifier, context);
}`;
register('data:text/javascript,' + encodeURIComponent(hooks));
