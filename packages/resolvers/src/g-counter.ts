/** Per-node increment totals; nodes with zero are left out. */
export type GCounterState = Readonly<Record<string, number>>;

/**
 * Grow-only counter (R5): each node counts its own increments; merge takes the per-node
 * maximum, so re-delivered or reordered states never double-count. Immutable.
 */
export class GCounter {
  readonly #counts: ReadonlyMap<string, number>;

  private constructor(counts: ReadonlyMap<string, number>) {
    this.#counts = counts;
  }

  static empty(): GCounter {
    return new GCounter(new Map());
  }

  static fromJSON(state: GCounterState): GCounter {
    const counts = new Map<string, number>();
    for (const [node, count] of Object.entries(state)) {
      checkAmount(count, "count");
      if (count > 0) counts.set(node, count);
    }
    return new GCounter(counts);
  }

  increment(node: string, by = 1): GCounter {
    checkAmount(by, "increment");
    if (by === 0) return this;
    const counts = new Map(this.#counts);
    counts.set(node, this.get(node) + by);
    return new GCounter(counts);
  }

  get(node: string): number {
    return this.#counts.get(node) ?? 0;
  }

  value(): number {
    let sum = 0;
    for (const count of this.#counts.values()) sum += count;
    return sum;
  }

  merge(other: GCounter): GCounter {
    const counts = new Map(this.#counts);
    for (const [node, count] of other.#counts) counts.set(node, Math.max(count, this.get(node)));
    return new GCounter(counts);
  }

  toJSON(): GCounterState {
    return Object.fromEntries([...this.#counts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  }
}

function checkAmount(value: number, what: string): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${what} must be a non-negative safe integer: ${value}`);
  }
}
