import { compareHlc } from "@sync/clock";
import { compareCanonical } from "./canonical-json.js";

/**
 * The join of two clocked entries: the greater HLC wins (R1). Two different entries with the
 * same HLC cannot come from a correct clock, but if they appear the larger canonical form wins,
 * so merge stays commutative and every replica still picks the same one.
 */
export function lwwJoin<E extends { readonly hlc: string }>(a: E, b: E): E {
  const byClock = compareHlc(a.hlc, b.hlc);
  if (byClock !== 0) return byClock > 0 ? a : b;
  return compareCanonical(a, b) >= 0 ? a : b;
}
