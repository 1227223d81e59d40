import type { StoredMeta } from "./local-store.js";

/**
 * The meta after a pulled page is stored, or undefined when it did not move: the cursor and the
 * server's processed seq (L23) only go forward, so a late page cannot take either back.
 */
export function advancedMeta(
  meta: StoredMeta,
  cursor: number,
  processedSeq: number | undefined,
): StoredMeta | undefined {
  const nextCursor = Math.max(meta.cursor, cursor);
  const nextSeq = Math.max(meta.processedSeq ?? 0, processedSeq ?? 0);
  if (nextCursor === meta.cursor && nextSeq === (meta.processedSeq ?? 0)) return undefined;
  return { ...meta, cursor: nextCursor, ...(nextSeq > 0 ? { processedSeq: nextSeq } : {}) };
}

/** The meta after a full resync ending at `cursor` (L10): the cursor is set, the seq moves forward. */
export function resyncedMeta(
  meta: StoredMeta,
  cursor: number,
  processedSeq: number | undefined,
): StoredMeta {
  const reset = { ...meta, cursor };
  return advancedMeta(reset, cursor, processedSeq) ?? reset;
}
