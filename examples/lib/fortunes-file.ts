// Finds the Fortune seed data. The canonical copy is ../shared/data/tfb-fortunes.json relative to the
// repository root (a sibling of the clone, both here and in CI); examples/data/ holds a copy so that
// a clone on its own still runs. FORTUNES_JSON overrides both.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Fortune } from './fortunes.js';

/** The repository root: the nearest directory above `from` whose package.json is green-ts's. */
function repoRoot(from: string): string | undefined {
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      try { if (JSON.parse(readFileSync(pkg, 'utf8')).name === 'green-ts') return dir; } catch { /* not ours */ }
    }
    if (dirname(dir) === dir) return undefined;
  }
}

export function fortunesFile(env: NodeJS.ProcessEnv = process.env): string {
  const root = repoRoot(__dirname);
  const candidates = [
    env.FORTUNES_JSON,
    root && join(root, '..', 'shared', 'data', 'tfb-fortunes.json'),
    root && join(root, 'examples', 'data', 'tfb-fortunes.json'),
  ].filter((p): p is string => !!p);
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw new Error(`tfb-fortunes.json not found; looked in: ${candidates.join(', ')}`);
  return found;
}

export function loadFortunes(file = fortunesFile()): Fortune[] {
  const rows = JSON.parse(readFileSync(file, 'utf8')) as Fortune[];
  if (!Array.isArray(rows) || !rows.every((r) => Number.isInteger(r.id) && typeof r.message === 'string')) {
    throw new Error(`${file}: expected an array of {id, message}`);
  }
  return rows;
}
