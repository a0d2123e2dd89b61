// World rows, the async/await way: every caller up the chain must be async and await.
import type { Pool, RowDataPacket } from 'mysql2/promise';

export interface World { id: number; randomNumber: number }

export async function findWorld(pool: Pool, id: number): Promise<World> {
  const [rows] = await pool.query<(World & RowDataPacket)[]>('SELECT id, randomNumber FROM World WHERE id = ?', [id]);
  if (rows.length === 0) throw new Error(`World ${id} not found`);
  return { id: rows[0].id, randomNumber: rows[0].randomNumber };
}

export async function saveWorld(pool: Pool, world: World): Promise<void> {
  await pool.query('UPDATE World SET randomNumber = ? WHERE id = ?', [world.randomNumber, world.id]);
}
