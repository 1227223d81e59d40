import { createRandom, randomInt } from "../prng.js";

/** One step of the seeded trace, addressed to one replica. */
export type TraceOp =
  | {
      readonly replica: number;
      readonly kind: "mapSet";
      readonly key: string;
      readonly value: number;
    }
  | { readonly replica: number; readonly kind: "mapRemove"; readonly key: string }
  | { readonly replica: number; readonly kind: "setAdd"; readonly element: string }
  | { readonly replica: number; readonly kind: "setRemove"; readonly element: string }
  | { readonly replica: number; readonly kind: "counter"; readonly delta: number };

export interface TraceOptions {
  readonly seed: number;
  readonly ops: number;
  readonly replicas: number;
  readonly keys: number;
  readonly elements: number;
}

/**
 * A random mix of map writes (60%), set adds and removes (25%) and counter changes (15%),
 * each on a random replica. Same seed, same trace: both implementations see identical input.
 */
export function generateTrace(options: TraceOptions): TraceOp[] {
  const random = createRandom(options.seed);
  const trace: TraceOp[] = [];
  for (let i = 0; i < options.ops; i++) {
    const replica = randomInt(random, options.replicas);
    const roll = random();
    if (roll < 0.5) {
      trace.push({
        replica,
        kind: "mapSet",
        key: `k${randomInt(random, options.keys)}`,
        value: randomInt(random, 1_000_000),
      });
    } else if (roll < 0.6) {
      trace.push({ replica, kind: "mapRemove", key: `k${randomInt(random, options.keys)}` });
    } else if (roll < 0.75) {
      trace.push({ replica, kind: "setAdd", element: `e${randomInt(random, options.elements)}` });
    } else if (roll < 0.85) {
      trace.push({
        replica,
        kind: "setRemove",
        element: `e${randomInt(random, options.elements)}`,
      });
    } else {
      trace.push({ replica, kind: "counter", delta: randomInt(random, 11) - 5 });
    }
  }
  return trace;
}
