// The TechEmpower endpoints. Each handler() body runs in its own green thread and reads like
// blocking code; compare ../async/routes.ts.
import type { Request, Response } from 'express';
import { handler } from 'green-ts/http';
import { renderFortunes, withAdditional } from '../lib/fortunes.js';
import { clampQueries } from '../lib/queries.js';
import { randomNumber, randomWorldId } from '../lib/random.js';
import { allFortunes } from '../repositories/fortunes.js';
import { findWorld, saveWorld, type World } from '../repositories/worlds.js';

export const json = handler((_req: Request, res: Response) => {
  res.json({ message: 'Hello, World!' });
});

export const db = handler((_req: Request, res: Response) => {
  res.json(findWorld(randomWorldId()));
});

export const queries = handler((req: Request, res: Response) => {
  const n = clampQueries(req.query.queries);
  const worlds: World[] = [];
  for (let i = 0; i < n; i++) worlds.push(findWorld(randomWorldId()));
  res.json(worlds);
});

export const fortunes = handler((_req: Request, res: Response) => {
  res.type('html').send(renderFortunes(withAdditional(allFortunes())));
});

export const updates = handler((req: Request, res: Response) => {
  const n = clampQueries(req.query.queries);
  const worlds: World[] = [];
  for (let i = 0; i < n; i++) {
    const w = findWorld(randomWorldId());
    w.randomNumber = randomNumber();
    worlds.push(w);
  }
  for (const w of worlds) saveWorld(w);
  res.json(worlds);
});
