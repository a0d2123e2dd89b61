// Validation for the posts resource, shared by both services so they accept and reject the same input.
export interface Post { id: number; title: string; body: string }
export interface PostInput { title: string; body: string }

export class BadRequest extends Error {
  readonly status = 400;
}

/** Checks a create (all fields) or an update (any subset) body; throws BadRequest with the reason. */
export function postInput(raw: unknown, partial: boolean): Partial<PostInput> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new BadRequest('body must be a JSON object');
  const { title, body } = raw as Record<string, unknown>;
  const out: Partial<PostInput> = {};
  if (title !== undefined || !partial) {
    if (typeof title !== 'string' || title.trim() === '' || title.length > 200) {
      throw new BadRequest('title must be a non-empty string of at most 200 characters');
    }
    out.title = title;
  }
  if (body !== undefined || !partial) {
    if (typeof body !== 'string') throw new BadRequest('body must be a string');
    out.body = body;
  }
  return out;
}

/** A route id: a positive integer, else undefined (the route answers 404). */
export function postId(raw: unknown): number | undefined {
  if (typeof raw !== 'string' || !/^\d{1,9}$/.test(raw)) return undefined;
  const id = Number(raw);
  return id > 0 ? id : undefined;
}
