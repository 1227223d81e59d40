import { compareHlc } from "@sync/clock";
import { compareCanonical, jsonEqual } from "./canonical-json.js";

/** How a field resolves a true conflict: last writer by HLC, or hand it to the person. */
export type FieldStrategy = "lww" | "ask";

type FieldName<T> = keyof T & string;

/** One side of the merge: its field values and the HLC of the write behind each field. */
export interface MergeSide<T extends object> {
  readonly values: Partial<T>;
  readonly clocks: Partial<Record<FieldName<T>, string>>;
}

export type FieldConflict<T extends object> = {
  [K in FieldName<T>]: {
    readonly field: K;
    readonly base: T[K] | undefined;
    readonly local: T[K] | undefined;
    readonly remote: T[K] | undefined;
  };
}[FieldName<T>];

export interface ThreeWayMergeOptions<T extends object> {
  /** Per-field strategy; fields not listed use `defaultStrategy` ("lww" unless set). */
  readonly strategies?: Partial<Record<FieldName<T>, FieldStrategy>>;
  readonly defaultStrategy?: FieldStrategy;
}

export interface ThreeWayMergeResult<T extends object> {
  /** The merged record. An "ask" field holds the LWW winner until the person decides. */
  readonly merged: Partial<T>;
  /** The clock of the value each merged field holds. */
  readonly clocks: Partial<Record<FieldName<T>, string>>;
  /** One entry per "ask" field that both sides changed to different values, sorted by field. */
  readonly conflicts: FieldConflict<T>[];
}

/**
 * Field-level three-way merge (R2). Per field: a change on one side only is taken; both sides
 * changed to the same value is no conflict; different changes on both sides are a true conflict,
 * resolved by the field's strategy. Values compare structurally; an absent field is `undefined`.
 */
export function threeWayMerge<T extends object>(
  base: Partial<T>,
  local: MergeSide<T>,
  remote: MergeSide<T>,
  options: ThreeWayMergeOptions<T> = {},
): ThreeWayMergeResult<T> {
  const b = base as Record<string, unknown>;
  const lv = local.values as Record<string, unknown>;
  const rv = remote.values as Record<string, unknown>;
  const lc = local.clocks as Record<string, string | undefined>;
  const rc = remote.clocks as Record<string, string | undefined>;
  const strategies = (options.strategies ?? {}) as Record<string, FieldStrategy | undefined>;
  const fields = [...new Set([...Object.keys(b), ...Object.keys(lv), ...Object.keys(rv)])].sort();

  const merged: Record<string, unknown> = {};
  const clocks: Record<string, string> = {};
  const conflicts: Array<{ field: string; base: unknown; local: unknown; remote: unknown }> = [];

  for (const field of fields) {
    const [baseValue, localValue, remoteValue] = [b[field], lv[field], rv[field]];
    let takeLocal: boolean;
    let clock: string | undefined;
    if (jsonEqual(localValue, remoteValue)) {
      takeLocal = true;
      clock = maxClock(lc[field], rc[field]);
    } else if (jsonEqual(localValue, baseValue)) {
      takeLocal = false;
      clock = rc[field] ?? lc[field];
    } else if (jsonEqual(remoteValue, baseValue)) {
      takeLocal = true;
      clock = lc[field] ?? rc[field];
    } else {
      takeLocal = localWins(lc[field], rc[field], localValue, remoteValue);
      clock = takeLocal ? lc[field] : rc[field];
      if ((strategies[field] ?? options.defaultStrategy ?? "lww") === "ask") {
        conflicts.push({ field, base: baseValue, local: localValue, remote: remoteValue });
      }
    }
    const value = takeLocal ? localValue : remoteValue;
    if (value !== undefined) merged[field] = value;
    if (clock !== undefined) clocks[field] = clock;
  }
  return {
    merged: merged as Partial<T>,
    clocks: clocks as Partial<Record<FieldName<T>, string>>,
    conflicts: conflicts as FieldConflict<T>[],
  };
}

/** A side with a clock beats one without; equal clocks fall back to a value order. */
function localWins(
  localClock: string | undefined,
  remoteClock: string | undefined,
  localValue: unknown,
  remoteValue: unknown,
): boolean {
  if (localClock !== undefined && remoteClock === undefined) return true;
  if (localClock === undefined && remoteClock !== undefined) return false;
  if (localClock !== undefined && remoteClock !== undefined) {
    const order = compareHlc(localClock, remoteClock);
    if (order !== 0) return order > 0;
  }
  return compareCanonical(localValue, remoteValue) > 0;
}

function maxClock(a: string | undefined, b: string | undefined): string | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return compareHlc(a, b) >= 0 ? a : b;
}
