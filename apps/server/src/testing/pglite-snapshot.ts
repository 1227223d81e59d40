import { createHash } from "node:crypto";
import { readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { drizzle } from "drizzle-orm/pglite";
import { connectDatabase, type Database } from "../db/connect.js";
import { MIGRATIONS_FOLDER, migrateDatabase } from "../db/migrate.js";
import * as schema from "../db/schema/index.js";
import type { Db } from "../db/types.js";

/** Cache key: the migrations, so a new migration makes a new snapshot. */
function snapshotPath(): string {
  const hash = createHash("sha256");
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
      a.name.localeCompare(b.name),
    )) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else hash.update(entry.name).update(readFileSync(path));
    }
  };
  walk(MIGRATIONS_FOLDER);
  return join(tmpdir(), `sync-server-pglite-${hash.digest("hex").slice(0, 16)}.tar`);
}

/**
 * An in-memory PGlite, migrated. initdb dominates PGlite's start (seconds), so the first call
 * saves a dump of a freshly migrated database in the temp folder and later ones load it.
 */
export async function connectPgliteFromSnapshot(): Promise<Database> {
  const path = snapshotPath();
  let dump: Buffer | undefined;
  try {
    dump = readFileSync(path);
  } catch {
    dump = undefined; // no snapshot yet: make one below
  }
  if (!dump) {
    const database = await connectDatabase({ kind: "pglite" });
    const client = (database.db as unknown as { $client: PGlite }).$client;
    const blob = await client.dumpDataDir("none");
    const partial = `${path}.${process.pid}.${Date.now()}`;
    writeFileSync(partial, Buffer.from(await blob.arrayBuffer()));
    renameSync(partial, path); // atomic: concurrent workers never read half a file
    return database;
  }
  const client = new PGlite({ loadDataDir: new Blob([new Uint8Array(dump)]) });
  await client.waitReady;
  const db = drizzle(client, { schema }) as unknown as Db;
  const database: Database = { kind: "pglite", db, close: () => client.close() };
  await migrateDatabase(database);
  return database;
}
