import { type SQL, sql } from "drizzle-orm";
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

/**
 * CTEs for the head of one statement: `version_lock` takes the version lock, then `versions`
 * holds `count` fresh versions, ascending, as the array `versions.a`. Every version is drawn
 * from rows of the lock's result, so none is drawn before the lock is held (C1), whatever
 * runs before the statement on its connection. Values drawn under the lock are consecutive
 * (the sequence has CACHE 1 and every nextval caller holds the lock), so the statement's
 * versions are exactly (a[1] - 1, a[count]].
 */
export function versionsUnderLock(count: number): SQL {
  return sql`version_lock as materialized (select pg_advisory_xact_lock(${VERSION_LOCK_KEY}::bigint)), versions as materialized (select array_agg(v order by v) as a from (select nextval('change_version_seq') as v from version_lock, generate_series(1, ${count}::int)) as drawn)`;
}
