import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Version } from "./reroot-store.js";

const numRuns = Number.parseInt(process.env.FC_NUM_RUNS ?? "", 10) || 200;

const key = fc.integer({ min: 0, max: 12 }).map((n) => `k${n}`);
const change = fc.tuple(
  fc.integer({ min: 0, max: 1 }),
  key,
  fc.option(fc.nat(9), { nil: undefined }),
);
/** Derive a version from any earlier one (so the versions form a tree) with one or more changes. */
const step = fc.record({
  base: fc.nat(),
  changes: fc.array(change, { minLength: 1, maxLength: 4 }),
  single: fc.boolean(),
});

type Model = Map<string, number>[];

const snapshot = (maps: Map<string, unknown>[]) =>
  maps.map((m) => [...m.entries()].sort(([a], [b]) => (a < b ? -1 : 1)));

describe("rerooting version store", () => {
  it("every version, old or new, reads exactly as it was written, in any access order", () => {
    fc.assert(
      fc.property(
        fc.array(step, { maxLength: 40 }),
        fc.array(fc.nat(), { maxLength: 60 }),
        (steps, reads) => {
          const versions: Version[] = [Version.empty(2)];
          const models: Model[] = [[new Map(), new Map()]];
          for (const { base, changes, single } of steps) {
            const i = base % versions.length;
            const model = (models[i] as Model).map((m) => new Map(m));
            let next: Version;
            if (single && changes[0]?.[2] !== undefined) {
              const [map, k, value] = changes[0];
              next = (versions[i] as Version).set(map, k, value);
              model[map]?.set(k, value);
            } else {
              next = (versions[i] as Version).edit((tx) => {
                for (const [map, k, value] of changes) {
                  if (value === undefined) tx.delete(map, k);
                  else tx.set(map, k, value);
                  if (value === undefined) model[map]?.delete(k);
                  else model[map]?.set(k, value);
                  expect(tx.get(map, k)).toBe(value);
                }
              });
            }
            versions.push(next);
            models.push(model);
          }
          for (const r of [...reads, ...versions.keys()]) {
            const i = r % versions.length;
            expect(snapshot((versions[i] as Version).read())).toEqual(snapshot(models[i] as Model));
          }
        },
      ),
      { numRuns },
    );
  });

  it("an edit that changes nothing returns the same version", () => {
    const v = Version.empty(1).set(0, "a", 1);
    expect(v.edit(() => {})).toBe(v);
    expect(v.edit((tx) => tx.delete(0, "missing"))).toBe(v);
  });

  it("a long chain of versions reroots without deep recursion", () => {
    const first = Version.empty(1);
    let v = first;
    for (let i = 0; i < 200_000; i++) v = v.set(0, "k", i);
    expect(first.read()[0]?.size).toBe(0);
    expect(v.read()[0]?.get("k")).toBe(199_999);
  });
});
