import { pool } from '../db.js';
import type { Fortune } from '../lib/fortunes.js';

export function allFortunes(): Fortune[] {
  return pool().query<Fortune>('SELECT id, message FROM Fortune').map((r) => ({ id: r.id, message: r.message }));
}
