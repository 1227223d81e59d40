import { eq } from "drizzle-orm";
import { serverMeta } from "../db/schema/index.js";
import type { Queryable } from "../db/types.js";

export const GC_HORIZON_KEY = "gc_horizon";

/** Highest version tombstone GC has removed; cursors in (0, horizon) must resync (G2). */
export async function gcHorizon(db: Queryable): Promise<number> {
  const [row] = await db
    .select({ value: serverMeta.value })
    .from(serverMeta)
    .where(eq(serverMeta.key, GC_HORIZON_KEY));
  return row?.value ?? 0;
}
