// A database of its own for each service under test and each test process, so the green and async
// e2e files (which ava runs in parallel), and two test runs on one server, never update each
// other's World rows between a write and its check. Dropped when the file's tests are done.
import mysql from 'mysql2/promise';

/** Runs one statement on the server of `baseUrl` over a connection of its own. */
async function onServer(baseUrl: string, statement: string): Promise<void> {
  const conn = await mysql.createConnection({ uri: baseUrl });
  try {
    await conn.query(statement);
  } finally {
    await conn.end();
  }
}

/** Creates `name` on the server of `baseUrl` if missing and returns a URL pointing at it. */
export async function ownDatabase(baseUrl: string, name: string): Promise<string> {
  await onServer(baseUrl, `CREATE DATABASE IF NOT EXISTS \`${name}\` CHARACTER SET utf8mb4`);
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** The database of `kind`'s service in this test process. */
export function databaseName(kind: string): string {
  return `green_ts_http_${kind}_${process.pid}`;
}

export async function dropDatabase(baseUrl: string, name: string): Promise<void> {
  await onServer(baseUrl, `DROP DATABASE IF EXISTS \`${name}\``);
}
