import { GCounter, type GCounterState } from "./g-counter.js";

export interface PNCounterState {
  readonly p: GCounterState;
  readonly n: GCounterState;
}

/** Counter that goes both ways (R5): a grow-only counter of increments and one of decrements. */
export class PNCounter {
  readonly #p: GCounter;
  readonly #n: GCounter;

  private constructor(p: GCounter, n: GCounter) {
    this.#p = p;
    this.#n = n;
  }

  static empty(): PNCounter {
    return new PNCounter(GCounter.empty(), GCounter.empty());
  }

  static fromJSON(state: PNCounterState): PNCounter {
    return new PNCounter(GCounter.fromJSON(state.p), GCounter.fromJSON(state.n));
  }

  increment(node: string, by = 1): PNCounter {
    return new PNCounter(this.#p.increment(node, by), this.#n);
  }

  decrement(node: string, by = 1): PNCounter {
    return new PNCounter(this.#p, this.#n.increment(node, by));
  }

  value(): number {
    return this.#p.value() - this.#n.value();
  }

  merge(other: PNCounter): PNCounter {
    return new PNCounter(this.#p.merge(other.#p), this.#n.merge(other.#n));
  }

  toJSON(): PNCounterState {
    return { p: this.#p.toJSON(), n: this.#n.toJSON() };
  }
}
