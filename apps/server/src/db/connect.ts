import { mkdirSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { migrateDatabase } from "./migrate.js";
import * as schema from "./schema/index.js";
import type { Db } from "./types.js";

export type DatabaseKind = "postgres" | "pglite";

/** An open database. `close()` ends every connection it opened. */
export interface Database {
  readonly kind: DatabaseKind;
  readonly db: Db;
  /** The postgres.js client (LISTEN/NOTIFY needs it); absent for PGlite. */
  readonly sql?: postgres.Sql;
  close(): Promise<void>;
}

export type ConnectOptions =
  | { readonly kind: "postgres"; readonly url: string; readonly max?: number }
  /** `dataDir` undefined means in memory. */
  | { readonly kind: "pglite"; readonly dataDir?: string };

/** Opens the database and applies pending migrations before returning it. */
export async function connectDatabase(options: ConnectOptions): Promise<Database> {
  if (options.kind === "postgres") {
    // onnotice: migrations print NOTICEs ("schema already exists"); they are not errors.
    // Prepared statements (see `preparing`) planned with their actual parameters each time:
    // a generic plan cannot see how many ids an `= any($1)` array holds, and chose a plan that
    // made replaying a drain twice as slow.
    const sql = postgres(options.url, {
      max: options.max ?? 10,
      onnotice: () => {},
      connection: { plan_cache_mode: "force_custom_plan" },
    });
    const db = drizzlePostgres(preparing(sql), { schema }) as unknown as Db;
    const database: Database = { kind: "postgres", db, sql, close: () => sql.end({ timeout: 5 }) };
    await migrateDatabase(database);
    return database;
  }
  if (options.dataDir !== undefined) mkdirSync(options.dataDir, { recursive: true });
  const client = options.dataDir === undefined ? new PGlite() : new PGlite(options.dataDir);
  await client.waitReady;
  const db = drizzlePglite(client, { schema }) as unknown as Db;
  const database: Database = { kind: "pglite", db, close: () => client.close() };
  await migrateDatabase(database);
  return database;
}

/**
 * drizzle runs every query through postgres.js as an unnamed statement, and for those
 * postgres.js sends Parse/Describe and waits for the parameter types before it can bind: two
 * round trips per query. Named (prepared) statements are described once per connection and
 * then cost one. Our statement texts are fixed (arrays and row sets travel as parameters), so
 * the per-connection cache stays small. The proxy applies it to transactions too.
 */
function preparing(sql: postgres.Sql): postgres.Sql {
  return new Proxy(sql, {
    get(target, property) {
      if (property === "unsafe") {
        return (query: string, parameters?: postgres.ParameterOrJSON<never>[], options?: object) =>
          target.unsafe(query, parameters, { ...options, prepare: true });
      }
      if (property === "begin") {
        return (...args: unknown[]) => {
          const work = args.pop() as (tx: postgres.Sql) => unknown;
          const begin = target.begin as (...a: unknown[]) => Promise<unknown>;
          return begin(...args, (tx: postgres.Sql) => work(preparing(tx)));
        };
      }
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}
