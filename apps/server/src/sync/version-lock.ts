import { sql } from "drizzle-orm";
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
