// World rows. Plain functions: no async, no await, no callbacks. They suspend (the transformer finds
// that through pool().one / run) and so may only be called from green context, e.g. a handler().
import { sql } from 'green-ts/mysql';
import { pool } from '../db.js';

export interface World { id: number; randomNumber: number }

export function findWorld(id: number): World {
  const row = pool().one<World>(sql`SELECT id, randomNumber FROM World WHERE id = ${id}`);
  if (!row) throw new Error(`World ${id} not found`);
  return { id: row.id, randomNumber: row.randomNumber };
}

export function saveWorld(world: World): void {
  pool().run(sql`UPDATE World SET randomNumber = ${world.randomNumber} WHERE id = ${world.id}`);
}
