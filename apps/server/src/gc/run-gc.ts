import { and, eq, lte, max, sql } from "drizzle-orm";
import { serverMeta } from "../db/schema/index.js";
import type { Db } from "../db/types.js";
import { ENTITY_TABLES } from "../sync/entity-tables.js";
import { GC_HORIZON_KEY } from "./horizon.js";

export interface GcResult {
  readonly deleted: number;
  readonly horizon: number;
}

/**
 * Deletes tombstones last written before now - retention (G1) and raises the horizon to the
 * highest version deleted, so clients that might have missed a deleted tombstone resync (G2).
 */
export async function runTombstoneGc(db: Db, retentionMs: number): Promise<GcResult> {
  const cutoff = new Date(Date.now() - retentionMs);
  return db.transaction(async (tx) => {
    let deleted = 0;
    let top = 0;
    for (const { table } of ENTITY_TABLES) {
      const gone = await tx
        .delete(table)
        .where(and(eq(table.deleted, true), lte(table.updatedAt, cutoff)))
        .returning({ version: table.version });
      deleted += gone.length;
      for (const g of gone) top = Math.max(top, Number(g.version));
    }
    if (top > 0) {
      await tx
        .insert(serverMeta)
        .values({ key: GC_HORIZON_KEY, value: top })
        .onConflictDoUpdate({
          target: serverMeta.key,
          set: { value: sql`greatest(${serverMeta.value}, ${top})`, updatedAt: sql`now()` },
        });
    }
    const [row] = await tx
      .select({ v: max(serverMeta.value) })
      .from(serverMeta)
      .where(eq(serverMeta.key, GC_HORIZON_KEY));
    return { deleted, horizon: Number(row?.v ?? 0) };
  });
}
