// Creates and seeds the demo's tables once, before either service serves (in the cluster primary
// when there are workers). Plain mysql2/promise on purpose: it is start-up plumbing shared by the
// green service and its async/await twin, so both run against the same data.
//
// Safe to run from several processes at once (the e2e tests start both services side by side):
// every statement is idempotent and never overwrites rows another process may be updating.
import mysql from 'mysql2/promise';
import { loadFortunes } from './fortunes-file.js';
import { WORLD_ROWS, randomNumber } from './random.js';

const TABLES = [
  `CREATE TABLE IF NOT EXISTS World (
     id INT NOT NULL PRIMARY KEY,
     randomNumber INT NOT NULL DEFAULT 0
   ) ENGINE=InnoDB`,
  `CREATE TABLE IF NOT EXISTS Fortune (
     id INT NOT NULL PRIMARY KEY,
     message VARCHAR(2048) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL
   ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`,
  `CREATE TABLE IF NOT EXISTS posts (
     id INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
     title VARCHAR(200) NOT NULL,
     body TEXT NOT NULL,
     created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
     updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP
   ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`,
];

const BATCH = 1000;

export async function ensureSchema(mysqlUrl: string): Promise<void> {
  const conn = await mysql.createConnection({ uri: mysqlUrl, charset: 'utf8mb4' });
  try {
    for (const ddl of TABLES) await conn.query(ddl);
    // World: ids 1..10000, randomNumber 1..10000. INSERT IGNORE fills gaps and keeps rows that exist
    // (another process may be updating them).
    const [[{ n }]] = await conn.query<any[]>('SELECT COUNT(*) AS n FROM World WHERE id BETWEEN 1 AND ?', [WORLD_ROWS]);
    if (Number(n) < WORLD_ROWS) {
      for (let start = 1; start <= WORLD_ROWS; start += BATCH) {
        const rows: [number, number][] = [];
        for (let id = start; id < start + BATCH && id <= WORLD_ROWS; id++) rows.push([id, randomNumber()]);
        await conn.query('INSERT IGNORE INTO World (id, randomNumber) VALUES ?', [rows]);
      }
    }
    // Fortune: exactly the rows of the seed file. The /fortunes rule is "all rows", so stray rows go.
    const fortunes = loadFortunes();
    await conn.query('INSERT INTO Fortune (id, message) VALUES ? ON DUPLICATE KEY UPDATE message = VALUES(message)',
      [fortunes.map((f) => [f.id, f.message])]);
    await conn.query('DELETE FROM Fortune WHERE id NOT IN (?)', [fortunes.map((f) => f.id)]);
  } finally {
    await conn.end();
  }
}
