import { max } from "drizzle-orm";
import type { Queryable } from "../db/types.js";
import { ENTITY_TABLES } from "./entity-tables.js";

/** The highest committed version visible now (each max is one index lookup). */
export async function currentCursor(db: Queryable): Promise<number> {
  const tops = await Promise.all(
    ENTITY_TABLES.map(({ table }) => db.select({ v: max(table.version) }).from(table)),
  );
  return Math.max(0, ...tops.map((rows) => Number(rows[0]?.v ?? 0)));
}
