import type { Pool, RowDataPacket } from 'mysql2/promise';
import type { Fortune } from '../../lib/fortunes.js';

export async function allFortunes(pool: Pool): Promise<Fortune[]> {
  const [rows] = await pool.query<(Fortune & RowDataPacket)[]>('SELECT id, message FROM Fortune');
  return rows.map((r) => ({ id: r.id, message: r.message }));
}
