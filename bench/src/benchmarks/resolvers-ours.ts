import { HybridClock } from "@sync/clock";
import { LWWMap, ORSet, PNCounter } from "@sync/resolvers";
import type { TraceOp } from "./resolver-trace.js";

interface Replica {
  readonly node: string;
  readonly clock: HybridClock;
  map: LWWMap<number>;
  set: ORSet<string>;
  counter: PNCounter;
}

export interface OursRun {
  readonly applyMs: number;
  readonly mergeMs: number;
  readonly converged: boolean;
  /** The delta merges' result equals a plain state merge of the replicas reloaded from JSON. */
  readonly matchesFullMerge: boolean;
  /** Serialized state minus plain values, per live map key. */
  readonly mapMetadataBytesPerKey: number;
  readonly stateBytes: number;
  readonly view: string;
}

/**
 * Replays the trace on our CRDTs: local writes, then a full-mesh merge every round. A merge
 * applies only the other replica's operations past the receiver's version vector (the
 * counterpart of Yjs's state-vector diff), in memory: nothing is encoded.
 */
export function runOurs(trace: readonly TraceOp[], replicas: number, roundSize: number): OursRun {
  let tick = 1_700_000_000_000;
  const now = () => tick;
  const states: Replica[] = Array.from({ length: replicas }, (_, i) => {
    const node = `replica${String(i).padStart(4, "0")}`;
    return {
      node,
      clock: new HybridClock({ node, now }),
      map: LWWMap.empty<number>(),
      set: ORSet.empty<string>(),
      counter: PNCounter.empty(),
    };
  });
  let applyMs = 0;
  let mergeMs = 0;
  for (let start = 0; start < trace.length; start += roundSize) {
    const t0 = performance.now();
    for (const op of trace.slice(start, start + roundSize)) {
      tick += 1;
      const r = states[op.replica] as Replica;
      switch (op.kind) {
        case "mapSet":
          r.map = r.map.set(op.key, op.value, r.clock.now());
          break;
        case "mapRemove":
          r.map = r.map.remove(op.key, r.clock.now());
          break;
        case "setAdd":
          r.set = r.set.add(op.element, r.clock.now());
          break;
        case "setRemove":
          r.set = r.set.remove(op.element);
          break;
        case "counter":
          r.counter =
            op.delta >= 0
              ? r.counter.increment(r.node, op.delta)
              : r.counter.decrement(r.node, -op.delta);
          break;
      }
    }
    const t1 = performance.now();
    mergeAll(states);
    mergeMs += performance.now() - t1;
    applyMs += t1 - t0;
  }
  const views = states.map((r) =>
    JSON.stringify({ map: r.map.toJSON(), set: r.set.toJSON(), counter: r.counter.toJSON() }),
  );
  const first = states[0] as Replica;
  // Reloaded states share no history, so their merge takes every entry: the full state merge.
  const full = states
    .map((r) => ({
      map: LWWMap.fromJSON<number>(r.map.toJSON()),
      set: ORSet.fromJSON<string>(r.set.toJSON()),
    }))
    .reduce((a, b) => ({ map: a.map.merge(b.map), set: a.set.merge(b.set) }));
  const fullView = JSON.stringify({ map: full.map.toJSON(), set: full.set.toJSON() });
  const plain = JSON.stringify(first.map.value()).length;
  const serialized = JSON.stringify(first.map.toJSON()).length;
  return {
    applyMs,
    mergeMs,
    converged: views.every((v) => v === views[0]),
    matchesFullMerge:
      fullView === JSON.stringify({ map: first.map.toJSON(), set: first.set.toJSON() }),
    mapMetadataBytesPerKey: (serialized - plain) / Math.max(1, first.map.keys().length),
    stateBytes: (views[0] ?? "").length,
    view: JSON.stringify({
      map: first.map.value(),
      set: first.set.value(),
      counter: first.counter.value(),
    }),
  };
}

/** Every replica merges every other one's state (what a sync round delivers). */
function mergeAll(states: Replica[]): void {
  const snapshot = states.map((r) => ({ map: r.map, set: r.set, counter: r.counter }));
  states.forEach((r, i) => {
    snapshot.forEach((other, j) => {
      if (i === j) return;
      r.map = r.map.merge(other.map);
      r.set = r.set.merge(other.set);
      r.counter = r.counter.merge(other.counter);
    });
  });
}
