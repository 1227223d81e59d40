import { max } from "drizzle-orm";
import { items, lists, memberships } from "../db/schema/index.js";
import type { Queryable } from "../db/types.js";

/** The highest committed version visible now (each max is one index lookup). */
export async function currentCursor(db: Queryable): Promise<number> {
  const tops = await Promise.all(
    [lists, items, memberships].map((t) => db.select({ v: max(t.version) }).from(t)),
  );
  return Math.max(0, ...tops.map((rows) => Number(rows[0]?.v ?? 0)));
}
