import { createNodeId, HybridClock } from "@sync/clock";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { GCounter } from "./g-counter.js";
import { LWWMap } from "./lww-map.js";
import { LWWRegister } from "./lww-register.js";
import { ORSet } from "./or-set.js";
import { PNCounter } from "./pn-counter.js";

const numRuns = Number.parseInt(process.env.FC_NUM_RUNS ?? "", 10) || 300;
fc.configureGlobal({ numRuns });

/** Small seeded PRNG, so a failing delivery order is reproduced from fast-check's seed. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

const REPLICAS = 3;
const NODES = Array.from({ length: REPLICAS }, (_, i) => createNodeId(mulberry32(i + 1)));

interface Replica {
  readonly node: string;
  readonly clock: HybridClock;
}

interface Spec<S, Op> {
  readonly name: string;
  readonly empty: () => S;
  readonly op: fc.Arbitrary<Op>;
  readonly apply: (state: S, op: Op, replica: Replica) => S;
  readonly merge: (a: S, b: S) => S;
  readonly json: (state: S) => unknown;
  /** What the joined state must show given every operation issued (optional). */
  readonly expected?: (ops: readonly Op[]) => unknown;
  readonly value: (state: S) => unknown;
}

type Step<Op> =
  | { readonly kind: "op"; readonly at: number; readonly op: Op; readonly advance: number }
  | { readonly kind: "sync"; readonly from: number; readonly to: number };

function traceArb<Op>(op: fc.Arbitrary<Op>): fc.Arbitrary<Step<Op>[]> {
  const replica = fc.integer({ min: 0, max: REPLICAS - 1 });
  const step: fc.Arbitrary<Step<Op>> = fc.oneof(
    {
      weight: 3,
      arbitrary: fc.record({
        kind: fc.constant("op" as const),
        at: replica,
        op,
        advance: fc.integer({ min: 0, max: 2 }),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({ kind: fc.constant("sync" as const), from: replica, to: replica }),
    },
  );
  return fc.array(step, { maxLength: 40 });
}

interface Run<S, Op> {
  /** The state right after each operation, as its replica would broadcast it. */
  readonly updates: S[];
  readonly finals: S[];
  readonly ops: Op[];
}

function run<S, Op>(
  spec: Spec<S, Op>,
  steps: readonly Step<Op>[],
  skews: readonly number[],
): Run<S, Op> {
  let time = 1_700_000_000_000;
  const replicas: Replica[] = NODES.map((node, i) => ({
    node,
    clock: new HybridClock({ node, now: () => time + (skews[i] ?? 0) }),
  }));
  const states = replicas.map(() => spec.empty());
  const updates: S[] = [];
  const ops: Op[] = [];
  for (const step of steps) {
    if (step.kind === "op") {
      time += step.advance;
      const replica = replicas[step.at] as Replica;
      const next = spec.apply(states[step.at] as S, step.op, replica);
      states[step.at] = next;
      updates.push(next);
      ops.push(step.op);
    } else {
      states[step.to] = spec.merge(states[step.to] as S, states[step.from] as S);
      (replicas[step.to] as Replica).clock.receive((replicas[step.from] as Replica).clock.last());
    }
  }
  return { updates, finals: states, ops };
}

/** Deliver every update at least once, some twice or more, in a seeded random order. */
function delivery<S>(updates: readonly S[], seed: number): S[] {
  const random = mulberry32(seed);
  const out = [...updates];
  for (const update of updates) if (random() < 0.4) out.push(update);
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as S, out[i] as S];
  }
  return out;
}

const skewsArb = fc.array(fc.integer({ min: -2000, max: 2000 }), {
  minLength: REPLICAS,
  maxLength: REPLICAS,
});

function crdtLaws<S, Op>(spec: Spec<S, Op>): void {
  describe(spec.name, () => {
    const pick = fc.tuple(fc.nat(), fc.nat(), fc.nat());
    it(`[R3] ${spec.name} merge is commutative, associative and idempotent`, () => {
      fc.assert(
        fc.property(traceArb(spec.op), skewsArb, pick, (steps, skews, [i, j, k]) => {
          const { updates, finals } = run(spec, steps, skews);
          const pool = [spec.empty(), ...updates, ...finals];
          const a = pool[i % pool.length] as S;
          const b = pool[j % pool.length] as S;
          const c = pool[k % pool.length] as S;
          const m = spec.merge;
          expect(spec.json(m(a, b))).toEqual(spec.json(m(b, a)));
          expect(spec.json(m(m(a, b), c))).toEqual(spec.json(m(a, m(b, c))));
          expect(spec.json(m(a, a))).toEqual(spec.json(a));
          expect(spec.json(m(a, spec.empty()))).toEqual(spec.json(a));
        }),
      );
    });

    it(`[R4] ${spec.name} replicas converge whatever the delivery order and duplicates`, () => {
      fc.assert(
        fc.property(
          traceArb(spec.op),
          skewsArb,
          fc.array(fc.integer(), { minLength: 3, maxLength: 3 }),
          (steps, skews, seeds) => {
            const { updates, finals, ops } = run(spec, steps, skews);
            const joined = finals.reduce(spec.merge, spec.empty());
            const results = seeds.map((seed) =>
              delivery(updates, seed).reduce(spec.merge, spec.empty()),
            );
            for (const result of results) {
              expect(spec.json(result)).toEqual(spec.json(joined));
              expect(spec.value(result)).toEqual(spec.value(joined));
            }
            // A state must survive a JSON round trip unchanged (R11).
            const reloaded = JSON.parse(JSON.stringify(spec.json(joined)));
            expect(reloaded).toEqual(spec.json(joined));
            if (spec.expected) expect(spec.value(joined)).toEqual(spec.expected(ops));
          },
        ),
      );
    });
  });
}

const amount = fc.integer({ min: 0, max: 5 });
const keyArb = fc.constantFrom("a", "b", "c");
const itemArb = fc.constantFrom("Milk", "Eggs", "Bread");

crdtLaws<GCounter, number>({
  name: "GCounter",
  empty: GCounter.empty,
  op: amount,
  apply: (s, by, r) => s.increment(r.node, by),
  merge: (a, b) => a.merge(b),
  json: (s) => s.toJSON(),
  value: (s) => s.value(),
  expected: (ops) => ops.reduce((sum, by) => sum + by, 0),
});

crdtLaws<PNCounter, { up: boolean; by: number }>({
  name: "PNCounter",
  empty: PNCounter.empty,
  op: fc.record({ up: fc.boolean(), by: amount }),
  apply: (s, o, r) => (o.up ? s.increment(r.node, o.by) : s.decrement(r.node, o.by)),
  merge: (a, b) => a.merge(b),
  json: (s) => s.toJSON(),
  value: (s) => s.value(),
  expected: (ops) => ops.reduce((sum, o) => sum + (o.up ? o.by : -o.by), 0),
});

crdtLaws<LWWRegister<number>, number>({
  name: "LWWRegister",
  empty: () => LWWRegister.empty<number>(),
  op: fc.integer({ min: 0, max: 3 }),
  apply: (s, value, r) => s.set(value, r.clock.now()),
  merge: (a, b) => a.merge(b),
  json: (s) => s.toJSON(),
  value: (s) => s.value() ?? null,
});

type MapOp = { kind: "set"; key: string; value: number } | { kind: "remove"; key: string };
crdtLaws<LWWMap<number>, MapOp>({
  name: "LWWMap",
  empty: () => LWWMap.empty<number>(),
  op: fc.oneof(
    fc.record({
      kind: fc.constant("set" as const),
      key: keyArb,
      value: fc.integer({ min: 0, max: 3 }),
    }),
    fc.record({ kind: fc.constant("remove" as const), key: keyArb }),
  ),
  apply: (s, o, r) =>
    o.kind === "set" ? s.set(o.key, o.value, r.clock.now()) : s.remove(o.key, r.clock.now()),
  merge: (a, b) => a.merge(b),
  json: (s) => s.toJSON(),
  value: (s) => s.value(),
});

type SetOp = { kind: "add" | "remove"; item: string };
crdtLaws<ORSet<string>, SetOp>({
  name: "ORSet",
  empty: () => ORSet.empty<string>(),
  op: fc.record({ kind: fc.constantFrom("add" as const, "remove" as const), item: itemArb }),
  apply: (s, o, r) => (o.kind === "add" ? s.add(o.item, r.clock.now()) : s.remove(o.item)),
  merge: (a, b) => a.merge(b),
  json: (s) => s.toJSON(),
  value: (s) => s.value(),
});
