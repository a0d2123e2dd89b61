// The posts repository, async/await style: the same queries as ../../repositories/posts.ts.
import type { Pool, PoolConnection, ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import type { Post, PostInput } from '../../lib/posts.js';

type Db = Pool | PoolConnection;

export async function createPost(db: Db, input: PostInput): Promise<Post> {
  const [r] = await db.query<ResultSetHeader>('INSERT INTO posts (title, body) VALUES (?, ?)', [input.title, input.body]);
  return { id: r.insertId, title: input.title, body: input.body };
}

export async function listPosts(db: Db, limit = 100): Promise<Post[]> {
  const [rows] = await db.query<(Post & RowDataPacket)[]>('SELECT id, title, body FROM posts ORDER BY id DESC LIMIT ?', [limit]);
  return rows.map((r) => ({ id: r.id, title: r.title, body: r.body }));
}

export async function findPost(db: Db, id: number, forUpdate = false): Promise<Post | undefined> {
  const [rows] = await db.query<(Post & RowDataPacket)[]>(
    `SELECT id, title, body FROM posts WHERE id = ?${forUpdate ? ' FOR UPDATE' : ''}`, [id]);
  return rows[0] && { id: rows[0].id, title: rows[0].title, body: rows[0].body };
}

/** Read, merge and write in one transaction; the connection must be threaded through by hand. */
export async function updatePost(pool: Pool, id: number, changes: Partial<PostInput>): Promise<Post | undefined> {
  const conn = await pool.getConnection();
  try {
    await conn.beginTransaction();
    const current = await findPost(conn, id, true);
    if (!current) { await conn.rollback(); return undefined; }
    const next = { ...current, ...changes };
    await conn.query('UPDATE posts SET title = ?, body = ? WHERE id = ?', [next.title, next.body, id]);
    await conn.commit();
    return next;
  } catch (err) {
    await conn.rollback().catch(() => { /* the original error matters more */ });
    throw err;
  } finally {
    conn.release();
  }
}

export async function deletePost(db: Db, id: number): Promise<boolean> {
  const [r] = await db.query<ResultSetHeader>('DELETE FROM posts WHERE id = ?', [id]);
  return r.affectedRows > 0;
}
