// The `sql` tagged template: builds a parameterised statement. Interpolated values never become SQL
// text; each one is a `?` placeholder bound by the driver (client-side escaping for plain queries,
// server-side binding with `prepare: true`). The only ways to put text into a statement are the
// template's own literal parts, `sql.id` (a quoted identifier) and other `Sql` fragments, so a value
// that came from a user can never change the shape of the query.

/** A parameterised SQL fragment: `text` with one `?` per entry of `values`, in order. Immutable. */
export class Sql {
  readonly text: string;
  readonly values: readonly unknown[];
  /** Use the `sql` template, `sql.id` or `sql.join`; the constructor trusts `text` completely. */
  private constructor(text: string, values: readonly unknown[]) {
    this.text = text;
    this.values = values;
  }
  /** @internal The single door for trusted text: literal template parts and quoted identifiers. */
  static trusted(text: string, values: readonly unknown[] = []): Sql {
    return new Sql(text, values);
  }
  /** For logs and debuggers: the text with placeholders, never the values. */
  toString(): string {
    return this.text;
  }
}

/** A statement as the query methods accept it: a string with `?` placeholders, or a `sql` template. */
export type SqlQuery = string | Sql;

function build(strings: readonly string[], values: readonly unknown[]): Sql {
  let text = strings[0]!;
  const bound: unknown[] = [];
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (value instanceof Sql) {
      // A fragment composes: its text joins ours, its values join ours in the same order.
      text += value.text;
      for (const v of value.values) bound.push(v);
    } else {
      text += '?';
      bound.push(value);
    }
    text += strings[i + 1]!;
  }
  return Sql.trusted(text, bound);
}

/** Quotes one identifier part: backticks around it, inner backticks doubled (MySQL's own rule). */
function quoteIdentifier(part: string): string {
  if (typeof part !== 'string' || part.length === 0) throw new TypeError('sql.id: an identifier must be a non-empty string');
  if (part.includes('\u0000')) throw new TypeError('sql.id: an identifier cannot contain NUL');
  return '`' + part.replace(/`/g, '``') + '`';
}

export interface SqlTag {
  (strings: TemplateStringsArray, ...values: unknown[]): Sql;
  /**
   * A quoted identifier: `sql.id('users')` is `` `users` ``; several parts make a qualified name,
   * `sql.id('app', 'users')` is `` `app`.`users` ``. A dot inside one part is part of the name, not a
   * separator, so a user-chosen name cannot reach another schema.
   */
  id(...parts: string[]): Sql;
  /**
   * Joins items with `separator` (default `, `): `Sql` items are spliced as fragments, anything else
   * is bound as a value. `` sql`WHERE id IN (${sql.join(ids)})` ``. An empty list gives empty text.
   */
  join(items: Iterable<unknown>, separator?: string | Sql): Sql;
}

/** `` sql`SELECT * FROM t WHERE id = ${id}` ``: values are bound, `Sql` fragments compose. */
export const sql: SqlTag = Object.assign(
  (strings: TemplateStringsArray, ...values: unknown[]): Sql => build(strings, values),
  {
    id(...parts: string[]): Sql {
      if (parts.length === 0) throw new TypeError('sql.id: give at least one identifier');
      return Sql.trusted(parts.map(quoteIdentifier).join('.'));
    },
    join(items: Iterable<unknown>, separator: string | Sql = ', '): Sql {
      // A string separator is template text written by the programmer, like a literal part.
      const sep = separator instanceof Sql ? separator : Sql.trusted(String(separator));
      const list = [...items];
      const strings: string[] = [''];
      const values: unknown[] = [];
      list.forEach((item, i) => {
        if (i > 0) { values.push(sep); strings.push(''); }
        values.push(item);
        strings.push('');
      });
      return build(strings, values);
    },
  },
);

/** The text and values to send for a statement given as a string plus params, or as a `Sql`. */
export function statementOf(query: SqlQuery, params: unknown): { text: string; values: unknown } {
  if (query instanceof Sql) {
    if (params !== undefined && !(Array.isArray(params) && params.length === 0)) {
      throw new TypeError('A sql`` template carries its own values; pass no params with it (use `undefined` or `[]`).');
    }
    return { text: query.text, values: query.values };
  }
  if (typeof query !== 'string') throw new TypeError(`A statement must be a string or a sql\`\` template, got ${typeof query}`);
  return { text: query, values: params };
}
