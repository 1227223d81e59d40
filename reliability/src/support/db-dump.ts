import type { AppDeps } from "@sync/server";

type Db = AppDeps["db"];

/** Bookkeeping tables a rejected operation may legitimately write (the dedup log records it). */
const BOOKKEEPING = new Set(["clients", "applied_ops", "server_meta"]);

/**
 * Every table of the server's schema, read from the catalog, so a newly added entity table is
 * covered without editing this file.
 */
export async function allTables(db: Db): Promise<string[]> {
  const names = await rows(
    db,
    "select table_name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE' order by 1",
  );
  return names.map((row) => (JSON.parse(row) as { table_name: string }).table_name);
}

/** Entity state only: what a rejected operation must leave alone. */
export async function entityTables(db: Db): Promise<string[]> {
  return (await allTables(db)).filter((name) => !BOOKKEEPING.has(name));
}

export type Dump = Record<string, string[]>;

async function rows(db: Db, query: string): Promise<string[]> {
  const result = (await db.execute(query)) as unknown;
  const list = Array.isArray(result) ? result : ((result as { rows?: unknown[] }).rows ?? []);
  return list.map((row) => JSON.stringify(row)).sort();
}

/** Every row of every table (and the change sequence), order-independent, for before/after diffs. */
export async function dumpDatabase(db: Db, tables?: readonly string[]): Promise<Dump> {
  const dump: Dump = {};
  for (const table of tables ?? (await allTables(db))) {
    // Names come from the catalog, not from input.
    dump[table] = await rows(db, `select * from "${table}"`);
  }
  if (!tables)
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
