import { createNodeId, HybridClock } from "@sync/clock";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonicalJson } from "./canonical-json.js";
import { lwwJoin } from "./lww-join.js";
import { LWWMap, type LWWMapEntry, type LWWMapState } from "./lww-map.js";
import { ORSet, type ORSetState } from "./or-set.js";

const numRuns = Number.parseInt(process.env.FC_NUM_RUNS ?? "", 10) || 300;

/**
 * [R3] merge applies only the other side's operations past this state's version vector. These
 * properties check it against the plain state-based join of the two JSON states, over pools of
 * states that fork (writes on old versions), merge in any direction, and reload from JSON (a
 * fresh lineage that shares no history, so that merge has to take everything).
 */
type Step<Op> =
  | { readonly kind: "op"; readonly at: number; readonly base: number; readonly op: Op }
  | { readonly kind: "merge"; readonly a: number; readonly b: number }
  | { readonly kind: "reload"; readonly a: number };

function stepsArb<Op>(op: fc.Arbitrary<Op>): fc.Arbitrary<Step<Op>[]> {
  const replica = fc.integer({ min: 0, max: 2 });
  return fc.array(
    fc.oneof(
      {
        weight: 5,
        arbitrary: fc.record({ kind: fc.constant("op" as const), at: replica, base: fc.nat(), op }),
      },
      {
        weight: 3,
        arbitrary: fc.record({ kind: fc.constant("merge" as const), a: fc.nat(), b: fc.nat() }),
      },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant("reload" as const), a: fc.nat() }) },
    ),
    { maxLength: 40 },
  );
}

interface Crdt<S> {
  readonly empty: () => S;
  readonly merge: (a: S, b: S) => S;
  readonly reload: (s: S) => S;
}

/** Replays `steps`; `base` picks the state an op applies to: mostly a replica's latest, sometimes any older one. */
function pool<S, Op>(
  crdt: Crdt<S>,
  steps: readonly Step<Op>[],
  apply: (s: S, op: Op, clock: HybridClock) => S,
): S[] {
  let time = 1_700_000_000_000;
  const clocks = [1, 2, 3].map(() => new HybridClock({ node: createNodeId(), now: () => time }));
  const latest = clocks.map(() => crdt.empty());
  const states: S[] = [...latest];
  const at = (n: number) => states[n % states.length] as S;
  for (const step of steps) {
    time += 1;
    if (step.kind === "op") {
      const base = step.base % 4 === 0 ? at(step.base) : (latest[step.at] as S);
      const next = apply(base, step.op, clocks[step.at] as HybridClock);
      latest[step.at] = next;
      states.push(next);
    } else if (step.kind === "merge") {
      states.push(crdt.merge(at(step.a), at(step.b)));
    } else {
      states.push(crdt.reload(at(step.a)));
    }
  }
  return states;
}

function referenceMapJoin<V>(a: LWWMapState<V>, b: LWWMapState<V>): LWWMapState<V> {
  const out: Record<string, LWWMapEntry<V>> = { ...a };
  for (const [key, entry] of Object.entries(b)) {
    const ours = Object.hasOwn(out, key) ? out[key] : undefined;
    out[key] = ours === undefined ? entry : lwwJoin(ours, entry);
  }
  return Object.fromEntries(Object.entries(out).sort(([x], [y]) => (x < y ? -1 : 1)));
}

function referenceSetJoin<T>(a: ORSetState<T>, b: ORSetState<T>): ORSetState<T> {
  const tombstones = new Set([...a.tombstones, ...b.tombstones]);
  const elements = new Map<string, { value: T; tags: Set<string> }>();
  for (const [value, tags] of [...a.entries, ...b.entries]) {
    const key = canonicalJson(value);
    const entry = elements.get(key) ?? { value, tags: new Set<string>() };
    for (const tag of tags) if (!tombstones.has(tag)) entry.tags.add(tag);
    elements.set(key, entry);
  }
  return {
    entries: [...elements.entries()]
      .filter(([, e]) => e.tags.size > 0)
      .sort(([x], [y]) => (x < y ? -1 : 1))
      .map(([, e]) => [e.value, [...e.tags].sort()] as const),
    tombstones: [...tombstones].sort(),
  };
}

const pick = fc.tuple(fc.nat(), fc.nat(), fc.nat());

describe("delta merge by version vector", () => {
  type MapOp = { set: boolean; key: string; value: number };
  const mapOp = fc.record({
    set: fc.boolean(),
    key: fc.constantFrom("a", "b", "c", "d"),
    value: fc.nat(3),
  });
  const mapCrdt: Crdt<LWWMap<number>> = {
    empty: () => LWWMap.empty<number>(),
    merge: (a, b) => a.merge(b),
    reload: (s) => LWWMap.fromJSON<number>(JSON.parse(JSON.stringify(s.toJSON()))),
  };
  const applyMap = (s: LWWMap<number>, o: MapOp, clock: HybridClock) =>
    o.set ? s.set(o.key, o.value, clock.now()) : s.remove(o.key, clock.now());

  it("[R3] LWWMap merge equals the full state join, with forks and reloads", () => {
    fc.assert(
      fc.property(stepsArb(mapOp), pick, (steps, [i, j, k]) => {
        const states = pool(mapCrdt, steps, applyMap);
        const a = states[i % states.length] as LWWMap<number>;
        const b = states[j % states.length] as LWWMap<number>;
        const c = states[k % states.length] as LWWMap<number>;
        const ab = a.merge(b);
        expect(ab.toJSON()).toEqual(referenceMapJoin(a.toJSON(), b.toJSON()));
        expect(ab.merge(c).toJSON()).toEqual(referenceMapJoin(ab.toJSON(), c.toJSON()));
        // A reloaded state shares no history: that merge takes everything, and must agree.
        expect(mapCrdt.reload(a).merge(mapCrdt.reload(b)).toJSON()).toEqual(ab.toJSON());
        for (const s of states) expect(s.toJSON()).toEqual(mapCrdt.reload(s).toJSON());
      }),
      { numRuns },
    );
  });

  type SetOp = { add: boolean; item: string };
  const setOp = fc.record({ add: fc.boolean(), item: fc.constantFrom("Milk", "Eggs", "Bread") });
  const setCrdt: Crdt<ORSet<string>> = {
    empty: () => ORSet.empty<string>(),
    merge: (a, b) => a.merge(b),
    reload: (s) => ORSet.fromJSON<string>(JSON.parse(JSON.stringify(s.toJSON()))),
  };
  const applySet = (s: ORSet<string>, o: SetOp, clock: HybridClock) =>
    o.add ? s.add(o.item, clock.now()) : s.remove(o.item);

  it("[R3] ORSet merge equals the full state join, with forks and reloads", () => {
    fc.assert(
      fc.property(stepsArb(setOp), pick, (steps, [i, j, k]) => {
        const states = pool(setCrdt, steps, applySet);
        const a = states[i % states.length] as ORSet<string>;
        const b = states[j % states.length] as ORSet<string>;
        const c = states[k % states.length] as ORSet<string>;
        const ab = a.merge(b);
        expect(ab.toJSON()).toEqual(referenceSetJoin(a.toJSON(), b.toJSON()));
        expect(ab.merge(c).toJSON()).toEqual(referenceSetJoin(ab.toJSON(), c.toJSON()));
        expect(setCrdt.reload(a).merge(setCrdt.reload(b)).toJSON()).toEqual(ab.toJSON());
        for (const s of states) expect(s.toJSON()).toEqual(setCrdt.reload(s).toJSON());
      }),
      { numRuns },
    );
  });

  it("[R3] a merge that brings nothing new returns the receiver itself", () => {
    const clock = new HybridClock({ node: createNodeId(), now: () => 1_700_000_000_000 });
    const a = LWWMap.empty<number>().set("x", 1, clock.now());
    const b = a.set("y", 2, clock.now());
    expect(b.merge(a)).toBe(b);
    expect(a.merge(b).toJSON()).toEqual(b.toJSON());
    const s = ORSet.empty<string>().add("Milk", clock.now());
    const t = s.remove("Milk");
    expect(t.merge(s)).toBe(t);
    expect(s.merge(t).value()).toEqual([]);
  });
});
