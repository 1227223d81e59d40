import * as Y from "yjs";
import type { TraceOp } from "./resolver-trace.js";

interface Replica {
  readonly id: number;
  readonly map: Y.Doc;
  readonly set: Y.Doc;
  readonly counter: Y.Doc;
}

export interface YjsRun {
  readonly applyMs: number;
  readonly mergeMs: number;
  readonly converged: boolean;
  /** Encoded document minus plain values, per live map key. */
  readonly mapMetadataBytesPerKey: number;
  readonly stateBytes: number;
}

/**
 * The same trace on Yjs: a Y.Map for the map, a Y.Map of element -> true for the set, and a
 * Y.Map of per-replica totals for the counter (Yjs has no counter type). One transaction per
 * operation, like one user intent; merging exchanges state-vector diffs, full mesh.
 */
export function runYjs(trace: readonly TraceOp[], replicas: number, roundSize: number): YjsRun {
  const states: Replica[] = Array.from({ length: replicas }, (_, i) => ({
    id: i + 1,
    map: doc(i + 1),
    set: doc(i + 1),
    counter: doc(i + 1),
  }));
  const totals = new Array<number>(replicas).fill(0);
  let applyMs = 0;
  let mergeMs = 0;
  for (let start = 0; start < trace.length; start += roundSize) {
    const t0 = performance.now();
    for (const op of trace.slice(start, start + roundSize)) {
      const r = states[op.replica] as Replica;
      switch (op.kind) {
        case "mapSet":
          r.map.transact(() => r.map.getMap<number>("m").set(op.key, op.value));
          break;
        case "mapRemove":
          r.map.transact(() => r.map.getMap<number>("m").delete(op.key));
          break;
        case "setAdd":
          r.set.transact(() => r.set.getMap<boolean>("s").set(op.element, true));
          break;
        case "setRemove":
          r.set.transact(() => r.set.getMap<boolean>("s").delete(op.element));
          break;
        case "counter": {
          const total = (totals[op.replica] ?? 0) + op.delta;
          totals[op.replica] = total;
          r.counter.transact(() => r.counter.getMap<number>("c").set(`r${r.id}`, total));
          break;
        }
      }
    }
    const t1 = performance.now();
    mergeAll(states);
    mergeMs += performance.now() - t1;
    applyMs += t1 - t0;
  }
  const views = states.map((r) =>
    JSON.stringify({
      map: sorted(r.map.getMap("m").toJSON()),
      set: sorted(r.set.getMap("s").toJSON()),
      counter: sorted(r.counter.getMap("c").toJSON()),
    }),
  );
  const first = states[0] as Replica;
  const mapJson = first.map.getMap("m").toJSON();
  const encoded = Y.encodeStateAsUpdate(first.map).byteLength;
  const stateBytes =
    encoded +
    Y.encodeStateAsUpdate(first.set).byteLength +
    Y.encodeStateAsUpdate(first.counter).byteLength;
  return {
    applyMs,
    mergeMs,
    converged: views.every((v) => v === views[0]),
    mapMetadataBytesPerKey:
      (encoded - JSON.stringify(mapJson).length) / Math.max(1, Object.keys(mapJson).length),
    stateBytes,
  };
}

function doc(clientID: number): Y.Doc {
  const d = new Y.Doc();
  // Fixed client ids keep Yjs's own tie-breaks, and so its run, deterministic.
  d.clientID = clientID;
  return d;
}

function mergeAll(states: Replica[]): void {
  for (const kind of ["map", "set", "counter"] as const) {
    const updates = states.map((from) =>
      states.map((to) =>
        from === to ? null : Y.encodeStateAsUpdate(from[kind], Y.encodeStateVector(to[kind])),
      ),
    );
    states.forEach((to, j) => {
      updates.forEach((row, i) => {
        const update = row[j];
        if (i !== j && update) Y.applyUpdate(to[kind], update);
      });
    });
  }
}

function sorted(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : 1)));
}
