import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

/** A database nobody else has used, and how to throw it away. */
export interface FreshDatabase {
  /** Environment for the server process: DATABASE_URL (Postgres) or DATA_DIR (PGlite). */
  readonly env: Readonly<Record<string, string>>;
  readonly description: string;
  drop(): Promise<void>;
}

/**
 * Real Postgres when DATABASE_URL is set: a new database `e2e_<time>_<tag>` on that server,
 * created and dropped with psql (the e2e workspace talks to our code over HTTP only, so it
 * carries no driver). Otherwise an empty PGlite data directory in the system temp dir.
 */
export async function createFreshDatabase(tag: string): Promise<FreshDatabase> {
  const admin = process.env.DATABASE_URL;
  if (!admin) {
    const dir = await mkdtemp(join(tmpdir(), `sync-e2e-${tag}-`));
    return {
      env: { DATA_DIR: dir },
      description: `PGlite in ${dir}`,
      drop: () => rm(dir, { recursive: true, force: true }),
    };
  }
  const name = `e2e_${Date.now()}_${tag.replace(/\W/g, "_")}`.toLowerCase();
  await psql(admin, `CREATE DATABASE "${name}"`);
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return {
    env: { DATABASE_URL: url.toString() },
    description: `Postgres database ${name}`,
    drop: () => psql(admin, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
  };
}

async function psql(url: string, sql: string): Promise<void> {
  try {
    await run("psql", [url, "-v", "ON_ERROR_STOP=1", "-q", "-c", sql]);
  } catch (cause) {
    throw new Error(`psql failed to run ${sql} (is the psql client installed?)`, { cause });
  }
}
