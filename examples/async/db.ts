// The async service's pool: mysql2/promise, sized like the green service's.
import mysql from 'mysql2/promise';

export function createPool(mysqlUrl: string, size: number): mysql.Pool {
  return mysql.createPool({ uri: mysqlUrl, connectionLimit: size, charset: 'utf8mb4' });
}
