import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compareHlc, decodeHlc, encodeHlc, HlcFormatError, MAX_COUNTER } from "./encoding.js";
import { ClockDriftError, HybridClock } from "./hybrid-clock.js";

const numRuns = Number.parseInt(process.env.FC_NUM_RUNS ?? "", 10) || 300;
fc.configureGlobal({ numRuns });

const LOCAL = "localnode01";
const REMOTE = "remotenode1";
const ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz".split("");
const nodeArb = fc.string({ unit: fc.constantFrom(...ALPHABET), minLength: 11, maxLength: 11 });

/** A wall clock the test moves by hand. */
function manualWall(start: number) {
  const wall = { ms: start, read: () => wall.ms };
  return wall;
}

/** Wall-clock moves: standing still, small jitter, big jumps back and forth. */
const wallStepArb = fc.oneof(
  fc.constant(0),
  fc.integer({ min: -5, max: 5 }),
  fc.integer({ min: -10_000_000, max: 10_000_000 }),
  fc.integer({ min: -1_000_000_000_000, max: 0 }),
);
const START = 1_700_000_000_000;

describe("HybridClock", () => {
  it("[H1] now() is strictly monotonic and never behind physical time, whatever the wall clock does", () => {
    fc.assert(
      fc.property(fc.array(wallStepArb, { maxLength: 200 }), (steps) => {
        const wall = manualWall(START);
        const clock = new HybridClock({ node: LOCAL, now: wall.read });
        let previous = clock.now();
        for (const step of steps) {
          wall.ms = Math.max(0, wall.ms + step);
          const next = clock.now();
          expect(next > previous).toBe(true);
          expect(compareHlc(decodeHlc(next), decodeHlc(previous))).toBe(1);
          expect(decodeHlc(next).wall).toBeGreaterThanOrEqual(clock.physicalNow());
          expect(decodeHlc(next).node).toBe(LOCAL);
          expect(clock.last()).toBe(next);
          previous = next;
        }
      }),
    );
  });

  it("[H1] with a standing wall clock the counter counts, and the wall part stays put", () => {
    const clock = new HybridClock({ node: LOCAL, now: () => START });
    const issued = Array.from({ length: 5 }, () => decodeHlc(clock.now()));
    expect(issued.map((h) => h.wall)).toEqual([START, START, START, START, START]);
    expect(issued.map((h) => h.counter)).toEqual([0, 1, 2, 3, 4]);
  });

  it("[H1] counter overflow within one millisecond borrows the next millisecond and stays strictly monotonic", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 50 }),
        fc.integer({ min: 1, max: 200 }),
        (headroom, events) => {
          const last = encodeHlc({ wall: START, counter: MAX_COUNTER - headroom, node: LOCAL });
          const clock = new HybridClock({ node: LOCAL, now: () => START, last });
          let previous = last;
          for (let i = 0; i < events; i++) {
            const next = clock.now();
            expect(next > previous).toBe(true);
            previous = next;
          }
          const final = decodeHlc(previous);
          if (events > headroom) {
            expect(final.wall).toBe(START + 1);
            expect(final.counter).toBe(events - headroom - 1);
          } else {
            expect(final.wall).toBe(START);
          }
        },
      ),
    );
  });

  it("[H2] receive(x) is greater than x and than every earlier local timestamp", () => {
    const opArb = fc.oneof(
      fc.record({ kind: fc.constant("tick" as const), step: wallStepArb }),
      fc.record({
        kind: fc.constant("receive" as const),
        step: wallStepArb,
        // Remote walls from far behind up to exactly the drift bound ahead.
        ahead: fc.oneof(
          fc.integer({ min: -1_000_000, max: 60_000 }),
          fc.integer({ min: -2, max: 2 }),
          fc.constant(60_000),
        ),
        counter: fc.oneof(fc.integer({ min: 0, max: MAX_COUNTER }), fc.constant(MAX_COUNTER)),
        node: nodeArb,
      }),
    );
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 100 }), (ops) => {
        const wall = manualWall(START);
        const clock = new HybridClock({ node: LOCAL, now: wall.read, maxDriftMs: 60_000 });
        let latest = clock.now();
        for (const op of ops) {
          wall.ms = Math.max(0, wall.ms + op.step);
          if (op.kind === "tick") {
            const next = clock.now();
            expect(next > latest).toBe(true);
            latest = next;
            continue;
          }
          const remoteWall = Math.max(0, clock.physicalNow() + op.ahead);
          const remote = encodeHlc({ wall: remoteWall, counter: op.counter, node: op.node });
          const merged = clock.receive(remote);
          expect(merged > remote).toBe(true);
          expect(merged > latest).toBe(true);
          expect(decodeHlc(merged).node).toBe(LOCAL);
          latest = merged;
          // Later local events stay after the received one (causality).
          const after = clock.now();
          expect(after > merged).toBe(true);
          latest = after;
        }
      }),
    );
  });

  it("[H2] receiving a remote at the maximum counter moves to the next millisecond", () => {
    const clock = new HybridClock({ node: LOCAL, now: () => START });
    const remote = encodeHlc({ wall: START, counter: MAX_COUNTER, node: "zzzzzzzzzzz" });
    const merged = decodeHlc(clock.receive(remote));
    expect(merged).toEqual({ wall: START + 1, counter: 0, node: LOCAL });
  });

  it("[H4] receive of a timestamp further ahead than maxDriftMs throws ClockDriftError and leaves the clock unchanged", () => {
    const clock = new HybridClock({ node: LOCAL, now: () => START, maxDriftMs: 1000 });
    const before = clock.now();
    const far = encodeHlc({ wall: START + 1001, counter: 0, node: REMOTE });
    let caught: unknown;
    try {
      clock.receive(far);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ClockDriftError);
    expect((caught as ClockDriftError).code).toBe("CLOCK_DRIFT");
    expect((caught as ClockDriftError).aheadByMs).toBe(1001);
    expect(clock.last()).toBe(before);
    // Exactly at the bound is still accepted.
    const edge = encodeHlc({ wall: START + 1000, counter: 0, node: REMOTE });
    expect(clock.receive(edge) > edge).toBe(true);
  });

  it('[H4] stamp(remote, "restamp") replaces a drifted timestamp with a fresh local one', () => {
    const clock = new HybridClock({ node: LOCAL, now: () => START, maxDriftMs: 1000 });
    const before = clock.now();
    const far = encodeHlc({ wall: START + 10 * 365 * 86_400_000, counter: 0, node: REMOTE });
    const result = clock.stamp(far, "restamp");
    expect(result.restamped).toBe(true);
    expect(result.hlc).not.toBe(far);
    expect(result.hlc < far).toBe(true);
    expect(result.hlc > before).toBe(true);
    const stamped = decodeHlc(result.hlc);
    expect(stamped.node).toBe(LOCAL);
    expect(stamped.wall).toBe(START);
    // The skewed device did not drag our clock into the future.
    expect(decodeHlc(clock.now()).wall).toBe(START);
  });

  it('[H4] stamp(remote, "reject") throws ClockDriftError for a drifted timestamp', () => {
    const clock = new HybridClock({ node: LOCAL, now: () => START, maxDriftMs: 1000 });
    const far = encodeHlc({ wall: START + 5000, counter: 0, node: REMOTE });
    expect(() => clock.stamp(far, "reject")).toThrow(ClockDriftError);
  });

  it("[H4] within the bound stamp keeps the remote timestamp and the clock advances past it", () => {
    for (const policy of ["reject", "restamp"] as const) {
      const clock = new HybridClock({ node: LOCAL, now: () => START, maxDriftMs: 1000 });
      const remote = encodeHlc({ wall: START + 900, counter: 7, node: REMOTE });
      expect(clock.stamp(remote, policy)).toEqual({ hlc: remote, restamped: false });
      expect(clock.last() > remote).toBe(true);
      expect(clock.now() > remote).toBe(true);
    }
  });

  it("[H4] stamp rethrows malformed input whatever the policy", () => {
    const clock = new HybridClock({ node: LOCAL, now: () => START });
    expect(() => clock.stamp("nope", "restamp")).toThrow(HlcFormatError);
  });

  it("[H5] setOffset shifts physicalNow and the wall part of new timestamps", () => {
    const wall = manualWall(START);
    const clock = new HybridClock({ node: LOCAL, now: wall.read });
    expect(clock.physicalNow()).toBe(START);
    clock.setOffset(5000);
    expect(clock.offsetMs).toBe(5000);
    expect(clock.physicalNow()).toBe(START + 5000);
    expect(decodeHlc(clock.now()).wall).toBe(START + 5000);
    clock.setOffset(10_000.4);
    expect(clock.physicalNow()).toBe(START + 10_000);
    expect(() => clock.setOffset(Number.NaN)).toThrow(RangeError);
    expect(() => clock.setOffset(Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });

  it("[H5] a negative offset never makes timestamps go backwards", () => {
    const clock = new HybridClock({ node: LOCAL, now: () => START, offsetMs: 0 });
    const before = clock.now();
    clock.setOffset(-60_000);
    expect(clock.physicalNow()).toBe(START - 60_000);
    const after = clock.now();
    expect(after > before).toBe(true);
    expect(decodeHlc(after).wall).toBe(START);
  });

  it("[H5] the drift bound is measured against the corrected time", () => {
    const clock = new HybridClock({ node: LOCAL, now: () => START, maxDriftMs: 1000 });
    const remote = encodeHlc({ wall: START + 3000, counter: 0, node: REMOTE });
    expect(() => clock.receive(remote)).toThrow(ClockDriftError);
    clock.setOffset(2500);
    expect(clock.receive(remote) > remote).toBe(true);
  });

  it("[H6] a clock restarted from a persisted last() keeps monotonicity even if the wall clock went back", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: -1_000_000, max: 10 }),
        (events, jump) => {
          const first = new HybridClock({ node: LOCAL, now: () => START });
          let issued = "";
          for (let i = 0; i < events; i++) issued = first.now();
          const persisted = first.last();
          expect(persisted).toBe(issued);
          const restarted = new HybridClock({
            node: LOCAL,
            now: () => START + jump,
            last: persisted,
          });
          expect(restarted.now() > issued).toBe(true);
        },
      ),
    );
  });

  it("[H6] without a persisted last(), a restart with a clock gone back could repeat: the option is what prevents it", () => {
    const first = new HybridClock({ node: LOCAL, now: () => START });
    const issued = first.now();
    const amnesiac = new HybridClock({ node: LOCAL, now: () => START - 1 });
    expect(amnesiac.now() < issued).toBe(true);
    const restarted = new HybridClock({ node: LOCAL, now: () => START - 1, last: first.last() });
    expect(restarted.now() > issued).toBe(true);
  });

  it("[H6] a malformed persisted last() is refused", () => {
    expect(() => new HybridClock({ node: LOCAL, last: "garbage" })).toThrow(HlcFormatError);
  });

  it("[H8] the constructor refuses a malformed node id", () => {
    expect(() => new HybridClock({ node: "Not-A-Node" })).toThrow();
    expect(() => new HybridClock({ node: "abc" })).toThrow();
  });

  it("[H9] a wall clock returning NaN fails loudly and does not poison the clock", () => {
    let broken = true;
    const clock = new HybridClock({ node: LOCAL, now: () => (broken ? Number.NaN : START) });
    expect(() => clock.now()).toThrow(RangeError);
    broken = false;
    expect(decodeHlc(clock.now())).toEqual({ wall: START, counter: 0, node: LOCAL });
  });

  it("[H9] a timestamp that cannot be encoded leaves the clock at its last good state", () => {
    const clock = new HybridClock({ node: LOCAL, now: () => 36 ** 9 });
    const before = clock.last();
    expect(() => clock.now()).toThrow(HlcFormatError);
    expect(clock.last()).toBe(before);
  });

  it("[H1] the default wall clock is Date.now", () => {
    const clock = new HybridClock({ node: LOCAL });
    const low = Date.now();
    const wall = decodeHlc(clock.now()).wall;
    expect(wall).toBeGreaterThanOrEqual(low);
    expect(wall).toBeLessThanOrEqual(Date.now());
  });
});
