/**
 * Which operations a CRDT state includes, as a version vector over lineages, so a merge applies
 * only what the receiver has not seen (like a Yjs state vector, without the encoding).
 *
 * A lineage is one append-only array of operations, shared by every state of one line of
 * descent; a state includes its first `length` items. A write appends in place when the state
 * is the lineage's latest (the usual `s = s.set(..)`), and otherwise starts a new lineage, so a
 * prefix, once written, never changes. A state's contents are the join of the operations it
 * includes, and it includes a lineage's prefix or nothing of it, so "a state has seen item i
 * of lineage L" is `seen(L) > i`, and merging is: apply the other side's items past our
 * vector, then take the pointwise maximum. The array itself is the lineage's identity: no ids.
 */
export type Lineage = unknown[];

export class OpLog {
  readonly #own: Lineage;
  readonly #length: number;
  /** Prefix lengths of every other lineage included. */
  readonly #others: ReadonlyMap<Lineage, number>;

  private constructor(own: Lineage, length: number, others: ReadonlyMap<Lineage, number>) {
    this.#own = own;
    this.#length = length;
    this.#others = others;
  }

  static empty(): OpLog {
    return new OpLog([], 0, EMPTY);
  }

  /** The log with `items` appended as this state's own next operations. */
  append(items: readonly unknown[]): OpLog {
    if (this.#own.length === this.#length) {
      // A loop, not push(...items): a large fromJSON would overflow the argument limit.
      for (const item of items) this.#own.push(item);
      return new OpLog(this.#own, this.#length + items.length, this.#others);
    }
    // Another state already continued this lineage: fork, keeping our prefix as seen.
    const others = new Map(this.#others);
    if (this.#length > 0) others.set(this.#own, this.#length);
    return new OpLog([...items], items.length, others);
  }

  /**
   * The join of both logs. `visit` gets each range of `other`'s items this log has not seen,
   * `[from, to)` of its lineage, for the caller to apply. `this` when `other` has nothing new.
   */
  join(other: OpLog, visit: (lineage: Lineage, from: number, to: number) => void): OpLog {
    let length = this.#length;
    let others: Map<Lineage, number> | undefined;
    const consider = (lineage: Lineage, to: number): void => {
      if (lineage === this.#own) {
        if (to <= length) return;
        visit(lineage, length, to);
        length = to;
        return;
      }
      const from = others?.get(lineage) ?? this.#others.get(lineage) ?? 0;
      if (to <= from) return;
      visit(lineage, from, to);
      others ??= new Map(this.#others);
      others.set(lineage, to);
    };
    consider(other.#own, other.#length);
    for (const [lineage, to] of other.#others) consider(lineage, to);
    if (length === this.#length && others === undefined) return this;
    return new OpLog(this.#own, length, others ?? this.#others);
  }
}

const EMPTY: ReadonlyMap<Lineage, number> = new Map();
