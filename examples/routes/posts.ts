// The posts resource: create, list, get, update, delete.
import type { Request, Response } from 'express';
import { handler } from 'green-ts/http';
import { postId, postInput, type PostInput } from '../lib/posts.js';
import { createPost, deletePost, findPost, listPosts, updatePost } from '../repositories/posts.js';

function notFound(res: Response): void {
  res.status(404).json({ error: 'not found' });
}

export const create = handler((req: Request, res: Response) => {
  res.status(201).json(createPost(postInput(req.body, false) as PostInput));
});

export const list = handler((_req: Request, res: Response) => {
  res.json(listPosts());
});

export const get = handler((req: Request, res: Response) => {
  const id = postId(req.params.id);
  const post = id === undefined ? undefined : findPost(id);
  if (post) res.json(post); else notFound(res);
});

export const update = handler((req: Request, res: Response) => {
  const id = postId(req.params.id);
  const changes = postInput(req.body, true);
  const post = id === undefined ? undefined : updatePost(id, changes);
  if (post) res.json(post); else notFound(res);
});

export const remove = handler((req: Request, res: Response) => {
  const id = postId(req.params.id);
  if (id !== undefined && deletePost(id)) res.status(204).end(); else notFound(res);
});
