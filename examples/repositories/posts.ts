// The posts repository: plain synchronous-looking functions. Compare ../async/repositories/posts.ts,
// where every function is async and the transaction's connection must be passed down by hand: here
// pool().transaction routes every query this green thread makes through one connection, however
// deep it is made, so findPost is the same function inside and outside a transaction.
import { sql } from 'green-ts/mysql';
import { pool } from '../db.js';
import type { Post, PostInput } from '../lib/posts.js';

export function createPost(input: PostInput): Post {
  const { insertId } = pool().run(sql`INSERT INTO posts (title, body) VALUES (${input.title}, ${input.body})`);
  return { id: insertId, title: input.title, body: input.body };
}

export function listPosts(limit = 100): Post[] {
  return pool().query<Post>(sql`SELECT id, title, body FROM posts ORDER BY id DESC LIMIT ${limit}`)
    .map((r) => ({ id: r.id, title: r.title, body: r.body }));
}

export function findPost(id: number, forUpdate = false): Post | undefined {
  const row = pool().one<Post>(forUpdate
    ? sql`SELECT id, title, body FROM posts WHERE id = ${id} FOR UPDATE`
    : sql`SELECT id, title, body FROM posts WHERE id = ${id}`);
  return row && { id: row.id, title: row.title, body: row.body };
}

/** Read, merge and write in one transaction. */
export function updatePost(id: number, changes: Partial<PostInput>): Post | undefined {
  return pool().transaction(() => {
    const current = findPost(id, true);
    if (!current) return undefined;
    const next = { ...current, ...changes };
    pool().run(sql`UPDATE posts SET title = ${next.title}, body = ${next.body} WHERE id = ${id}`);
    return next;
  });
}

export function deletePost(id: number): boolean {
  return pool().run(sql`DELETE FROM posts WHERE id = ${id}`).affectedRows > 0;
}
