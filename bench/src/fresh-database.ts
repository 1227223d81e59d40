import { randomBytes } from "node:crypto";
import postgres from "postgres";

/**
 * A database created for this run next to DATABASE_URL and dropped afterwards, so a
 * benchmark never reads or writes anyone else's data.
 */
export async function withFreshDatabase<T>(
  adminUrl: string,
  fn: (sql: postgres.Sql, url: string) => Promise<T>,
  options: { max?: number } = {},
): Promise<T> {
  const name = `bench_${randomBytes(6).toString("hex")}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin`create database ${admin(name)}`;
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const sql = postgres(url.toString(), { max: options.max ?? 8, onnotice: () => {} });
  try {
    return await fn(sql, url.toString());
  } finally {
    await sql.end();
    await admin`drop database if exists ${admin(name)} with (force)`;
    await admin.end();
  }
}
