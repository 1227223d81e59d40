import { compareHlc, decodeHlc, encodeHlc, type Hlc, isNodeId, MAX_COUNTER } from "./encoding.js";

/** The wall-clock port: milliseconds since the Unix epoch. */
export type Now = () => number;

/** What to do with a remote timestamp further ahead of our wall clock than `maxDriftMs`. */
export type DriftPolicy = "reject" | "restamp";

export interface HybridClockOptions {
  node: string;
  now?: Now;
  /** Remote timestamps further ahead than this are "drifted". Default 60 s. */
  maxDriftMs?: number;
  /** Measured correction added to the wall clock (server time minus local time). */
  offsetMs?: number;
  /** Last timestamp issued before a restart, so the clock never goes back across reloads. */
  last?: string;
}

export class ClockDriftError extends Error {
  readonly code = "CLOCK_DRIFT";
  readonly aheadByMs: number;
  constructor(aheadByMs: number) {
    super(`remote clock is ${aheadByMs} ms ahead of local time`);
    this.name = "ClockDriftError";
    this.aheadByMs = aheadByMs;
  }
}

export interface StampResult {
  /** The timestamp to use: the remote one, or a fresh local one when it was re-stamped. */
  hlc: string;
  restamped: boolean;
}

/**
 * Hybrid logical clock (Kulkarni et al.): timestamps that follow causality, stay close to
 * physical time, and are strictly monotonic even when the wall clock jumps backwards (H1).
 */
export class HybridClock {
  readonly node: string;
  readonly maxDriftMs: number;
  #now: Now;
  #offsetMs: number;
  #last: Hlc;

  constructor(options: HybridClockOptions) {
    if (!isNodeId(options.node)) throw new Error(`bad node id: ${options.node}`);
    this.node = options.node;
    this.#now = options.now ?? Date.now;
    this.maxDriftMs = options.maxDriftMs ?? 60_000;
    this.#offsetMs = options.offsetMs ?? 0;
    this.#last = options.last ? decodeHlc(options.last) : { wall: 0, counter: 0, node: this.node };
  }

  /** Physical time as this clock believes it: the wall clock plus the measured offset. */
  physicalNow(): number {
    const wall = this.#now();
    // A broken wall clock must fail loudly: NaN would otherwise poison every later timestamp.
    if (!Number.isFinite(wall)) throw new RangeError(`wall clock returned ${wall}`);
    return Math.max(0, Math.round(wall + this.#offsetMs));
  }

  setOffset(offsetMs: number): void {
    if (!Number.isFinite(offsetMs)) throw new RangeError(`offset must be finite: ${offsetMs}`);
    this.#offsetMs = offsetMs;
  }

  get offsetMs(): number {
    return this.#offsetMs;
  }

  /** A timestamp for a local event (send or write). */
  now(): string {
    const physical = this.physicalNow();
    const wall = Math.max(physical, this.#last.wall);
    const counter = wall === this.#last.wall ? this.#last.counter + 1 : 0;
    return this.#issue(wall, counter);
  }

  /**
   * Merge a remote timestamp (H2): the result is greater than both the remote timestamp and
   * every timestamp this clock issued before. A remote clock far ahead is refused with
   * {@link ClockDriftError}; use {@link stamp} to re-stamp instead.
   */
  receive(remote: string): string {
    const r = decodeHlc(remote);
    const physical = this.physicalNow();
    if (r.wall - physical > this.maxDriftMs) throw new ClockDriftError(r.wall - physical);
    const wall = Math.max(physical, this.#last.wall, r.wall);
    let counter: number;
    if (wall === this.#last.wall && wall === r.wall) {
      counter = Math.max(this.#last.counter, r.counter) + 1;
    } else if (wall === this.#last.wall) {
      counter = this.#last.counter + 1;
    } else if (wall === r.wall) {
      counter = r.counter + 1;
    } else {
      counter = 0;
    }
    return this.#issue(wall, counter);
  }

  /**
   * Accept a remote timestamp as the ordering of a remote event, under the drift policy (H4):
   * within the bound it is kept (and the clock advances past it); beyond, "reject" throws and
   * "restamp" replaces it with a local timestamp, so a skewed device cannot win forever.
   */
  stamp(remote: string, policy: DriftPolicy): StampResult {
    try {
      this.receive(remote);
      return { hlc: remote, restamped: false };
    } catch (error) {
      if (!(error instanceof ClockDriftError) || policy === "reject") throw error;
      return { hlc: this.now(), restamped: true };
    }
  }

  /** The last timestamp issued; persist it to keep monotonicity across restarts. */
  last(): string {
    return encodeHlc(this.#last);
  }

  #issue(wall: number, counter: number): string {
    // Counter overflow borrows the next millisecond: order stays strict, drift stays tiny.
    const next: Hlc =
      counter > MAX_COUNTER
        ? { wall: wall + 1, counter: 0, node: this.node }
        : { wall, counter, node: this.node };
    if (compareHlc(next, this.#last) <= 0) throw new Error("HLC invariant broken: not monotonic");
    // Encode before committing: an out-of-range wall must not leave the clock in that state.
    const encoded = encodeHlc(next);
    this.#last = next;
    return encoded;
  }
}
