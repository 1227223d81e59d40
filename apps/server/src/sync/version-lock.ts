import { sql } from "drizzle-orm";
import { executeRows } from "../db/rows.js";
import type { Queryable } from "../db/types.js";

/**
 * Advisory lock held from a transaction's first version assignment to its commit (C1). While
 * one transaction holds it no other can take a version, so versions become visible in the
 * order they were assigned and a pull never sees version n+1 committed before n.
 */
export const VERSION_LOCK_KEY = 7_461_001;

export interface VersionLock {
  held: boolean;
}

export async function takeVersionLock(db: Queryable, lock: VersionLock): Promise<void> {
  if (lock.held) return;
  await db.execute(sql`select pg_advisory_xact_lock(${VERSION_LOCK_KEY}::bigint)`);
  lock.held = true;
}

/** `count` fresh versions, ascending, taken in one statement while holding the lock (C1). */
export async function allocateVersions(
  db: Queryable,
  lock: VersionLock,
  count: number,
): Promise<number[]> {
  await takeVersionLock(db, lock);
  const rows = await executeRows<{ v: string | number }>(
    db,
    sql`select nextval('change_version_seq') as v from generate_series(1, ${count}::int)`,
  );
  return rows.map((r) => Number(r.v)).sort((a, b) => a - b);
}
