// Wires the routes into an Express app. Nothing here knows about green threads but handler().
import express, { type Express } from 'express';
import { errorMiddleware } from './lib/errors.js';
import { boom } from './routes/boom.js';
import * as posts from './routes/posts.js';
import * as tfb from './routes/tfb.js';

export function createApp(): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(express.json());
  app.get('/json', tfb.json);
  app.get('/db', tfb.db);
  app.get('/queries', tfb.queries);
  app.get('/fortunes', tfb.fortunes);
  app.get('/updates', tfb.updates);
  app.post('/posts', posts.create);
  app.get('/posts', posts.list);
  app.get('/posts/:id', posts.get);
  app.put('/posts/:id', posts.update);
  app.delete('/posts/:id', posts.remove);
  app.get('/boom', boom);
  app.use(errorMiddleware);
  return app;
}
