import type { AppDeps } from "@sync/server";

type Db = AppDeps["db"];

const TABLES = [
  "users",
  "sessions",
  "clients",
  "applied_ops",
  "lists",
  "items",
  "memberships",
  "server_meta",
] as const;
/** Entity state only: what a rejected operation must leave alone (the dedup log may record it). */
export const ENTITY_TABLES = ["users", "sessions", "lists", "items", "memberships"] as const;

export type Dump = Record<string, string[]>;

async function rows(db: Db, query: string): Promise<string[]> {
  const result = (await db.execute(query)) as unknown;
  const list = Array.isArray(result) ? result : ((result as { rows?: unknown[] }).rows ?? []);
  return list.map((row) => JSON.stringify(row)).sort();
}

/** Every row of every table (and the change sequence), order-independent, for before/after diffs. */
export async function dumpDatabase(db: Db, tables: readonly string[] = TABLES): Promise<Dump> {
  const dump: Dump = {};
  for (const table of tables) dump[table] = await rows(db, `select * from ${table}`);
  if (tables === TABLES)
    dump.sequence = await rows(db, "select last_value, is_called from change_version_seq");
  return dump;
}

/** Names of tables whose rows differ, with the first few changed rows. */
export function diffDumps(before: Dump, after: Dump): string[] {
  const out: string[] = [];
  for (const table of Object.keys(before)) {
    const a = new Set(before[table]);
    const b = new Set(after[table]);
    const added = [...b].filter((r) => !a.has(r));
    const removed = [...a].filter((r) => !b.has(r));
    if (added.length + removed.length > 0) {
      out.push(`${table}: +${added.length} -${removed.length} ${added.slice(0, 2).join(" ")}`);
    }
  }
  return out;
}
