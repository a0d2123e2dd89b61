// The async/await routes: the same endpoints and rules as ../routes/, written with async/await.
// Express 5 sends a rejected handler's error to next(err).
import { Router, type Request, type Response } from 'express';
import type { Pool } from 'mysql2/promise';
import { renderFortunes, withAdditional } from '../lib/fortunes.js';
import { postId, postInput, type PostInput } from '../lib/posts.js';
import { clampQueries } from '../lib/queries.js';
import { randomNumber, randomWorldId } from '../lib/random.js';
import { allFortunes } from './repositories/fortunes.js';
import { createPost, deletePost, findPost, listPosts, updatePost } from './repositories/posts.js';
import { findWorld, saveWorld, type World } from './repositories/worlds.js';

export function routes(pool: Pool): Router {
  const r = Router();

  r.get('/json', (_req: Request, res: Response) => { res.json({ message: 'Hello, World!' }); });

  r.get('/db', async (_req: Request, res: Response) => { res.json(await findWorld(pool, randomWorldId())); });

  r.get('/queries', async (req: Request, res: Response) => {
    const n = clampQueries(req.query.queries);
    const worlds: World[] = [];
    for (let i = 0; i < n; i++) worlds.push(await findWorld(pool, randomWorldId()));
    res.json(worlds);
  });

  r.get('/fortunes', async (_req: Request, res: Response) => {
    res.type('html').send(renderFortunes(withAdditional(await allFortunes(pool))));
  });

  r.get('/updates', async (req: Request, res: Response) => {
    const n = clampQueries(req.query.queries);
    const worlds: World[] = [];
    for (let i = 0; i < n; i++) {
      const w = await findWorld(pool, randomWorldId());
      w.randomNumber = randomNumber();
      worlds.push(w);
    }
    for (const w of worlds) await saveWorld(pool, w);
    res.json(worlds);
  });

  r.post('/posts', async (req: Request, res: Response) => {
    res.status(201).json(await createPost(pool, postInput(req.body, false) as PostInput));
  });
  r.get('/posts', async (_req: Request, res: Response) => { res.json(await listPosts(pool)); });
  r.get('/posts/:id', async (req: Request, res: Response) => {
    const id = postId(req.params.id);
    const post = id === undefined ? undefined : await findPost(pool, id);
    if (post) res.json(post); else res.status(404).json({ error: 'not found' });
  });
  r.put('/posts/:id', async (req: Request, res: Response) => {
    const id = postId(req.params.id);
    const changes = postInput(req.body, true);
    const post = id === undefined ? undefined : await updatePost(pool, id, changes);
    if (post) res.json(post); else res.status(404).json({ error: 'not found' });
  });
  r.delete('/posts/:id', async (req: Request, res: Response) => {
    const id = postId(req.params.id);
    if (id !== undefined && await deletePost(pool, id)) res.status(204).end(); else res.status(404).json({ error: 'not found' });
  });

  // Throws after a query has come back, i.e. after the handler has suspended: the error path under test.
  r.get('/boom', async () => {
    await pool.query('SELECT 1');
    throw new Error('boom: a detail the client must not see');
  });

  return r;
}
