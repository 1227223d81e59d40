import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import postgres from "postgres";
import { connectDatabase, type Database } from "../db/connect.js";
import { appliedOps, clients, serverMeta, sessions, users } from "../db/schema/index.js";
import { testDatabaseUrl } from "../env.js";
import { ENTITY_TABLES } from "../sync/entity-tables.js";
import { connectPgliteFromSnapshot } from "./pglite-snapshot.js";

export type Backend = "pglite" | "postgres";

/** PGlite always; real Postgres too when DATABASE_URL is set (CI). */
export function availableBackends(): Backend[] {
  return testDatabaseUrl() ? ["pglite", "postgres"] : ["pglite"];
}

export interface TestDatabase {
  readonly database: Database;
  /** Connection URL of the fresh Postgres database (absent for PGlite). */
  readonly url?: string;
  /** Empties every table and restarts the version sequence. */
  reset(): Promise<void>;
  /** Closes the connections and, for Postgres, drops the database. */
  close(): Promise<void>;
}

/** A fresh, migrated database: PGlite in memory, or a new database next to DATABASE_URL. */
export async function createTestDatabase(backend: Backend): Promise<TestDatabase> {
  if (backend === "pglite") {
    const database = await connectPgliteFromSnapshot();
    return { database, reset: () => resetDatabase(database), close: () => database.close() };
  }
  const adminUrl = testDatabaseUrl();
  if (!adminUrl) throw new Error("the postgres backend needs DATABASE_URL");
  const name = `sync_test_${randomBytes(6).toString("hex")}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin`create database ${admin(name)}`;
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const database = await connectDatabase({ kind: "postgres", url: url.toString() });
  return {
    database,
    url: url.toString(),
    reset: () => resetDatabase(database),
    async close() {
      await database.close();
      await admin`drop database if exists ${admin(name)} with (force)`;
      await admin.end();
    },
  };
}

export async function resetDatabase(database: Database): Promise<void> {
  // DELETE beats TRUNCATE on tables this small; children first for the foreign keys. Every
  // entity table, not a list of them: a row left in one (a new entity's) would leak its
  // version into the next test.
  for (const table of [
    appliedOps,
    clients,
    sessions,
    ...ENTITY_TABLES.map((t) => t.table),
    serverMeta,
    users,
  ]) {
    await database.db.delete(table);
  }
  await database.db.execute(sql`alter sequence change_version_seq restart with 1`);
}
