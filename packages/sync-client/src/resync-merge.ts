import type { Row } from "@sync/protocol";
import { recordKey } from "./record-key.js";

/**
 * The confirmed set after a full resync that ended at `cursor` (rule L10): the resync's rows,
 * except where the store already holds something newer. A push acknowledged while the resync's
 * pages were being fetched has a version above the snapshot (above `cursor`, or above the
 * row's copy in the resync); dropping or downgrading it would show a confirmed write as undone.
 * Stored rows absent from the resync with a version at or below `cursor` have vanished
 * (garbage-collected tombstones, lost access) and go.
 */
export function keepConfirmedAfter(
  stored: readonly Row[],
  incoming: readonly Row[],
  cursor: number,
): Row[] {
  const next = new Map<string, Row>();
  for (const row of incoming) next.set(recordKey(row.entity, row.id), row);
  for (const row of stored) {
    const key = recordKey(row.entity, row.id);
    const fresh = next.get(key);
    if (fresh ? row.version > fresh.version : row.version > cursor) next.set(key, row);
  }
  return [...next.values()];
}
