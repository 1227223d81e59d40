import { canonicalJson } from "./canonical-json.js";

/** Live elements with their unremoved tags, and the tags removed so far. Both sorted. */
export interface ORSetState<T> {
  readonly entries: ReadonlyArray<readonly [T, ReadonlyArray<string>]>;
  readonly tombstones: ReadonlyArray<string>;
}

interface Entry<T> {
  readonly value: T;
  readonly tags: ReadonlySet<string>;
}

/**
 * Observed-remove set, add wins (R7). Every add carries a tag that is unique across replicas
 * (an HLC from the adding replica's clock is one); a remove tombstones only the tags it has
 * seen, so an add concurrent with a remove survives. Elements are equal when their canonical
 * JSON is, so the same element added on two replicas is one element with two tags.
 */
export class ORSet<T> {
  readonly #entries: ReadonlyMap<string, Entry<T>>;
  readonly #tombstones: ReadonlySet<string>;

  private constructor(entries: ReadonlyMap<string, Entry<T>>, tombstones: ReadonlySet<string>) {
    this.#entries = entries;
    this.#tombstones = tombstones;
  }

  static empty<T>(): ORSet<T> {
    return new ORSet<T>(new Map(), new Set());
  }

  static fromJSON<T>(state: ORSetState<T>): ORSet<T> {
    let set = new ORSet<T>(new Map(), new Set(state.tombstones));
    for (const [value, tags] of state.entries) for (const tag of tags) set = set.add(value, tag);
    return set;
  }

  /** Add `value` under a fresh unique `tag`. Re-adding the same value with the same tag is a no-op. */
  add(value: T, tag: string): ORSet<T> {
    if (tag.length === 0) throw new RangeError("an OR-Set tag must be a non-empty string");
    const key = canonicalJson(value);
    for (const [otherKey, entry] of this.#entries) {
      if (otherKey !== key && entry.tags.has(tag)) {
        throw new RangeError(`OR-Set tag ${tag} is already used by another element`);
      }
    }
    const current = this.#entries.get(key);
    if (this.#tombstones.has(tag) || current?.tags.has(tag)) return this;
    const entries = new Map(this.#entries);
    entries.set(key, { value, tags: new Set([...(current?.tags ?? []), tag]) });
    return new ORSet(entries, this.#tombstones);
  }

  /** Remove `value` as this replica sees it: every tag observed so far is tombstoned. */
  remove(value: T): ORSet<T> {
    const key = canonicalJson(value);
    const current = this.#entries.get(key);
    if (current === undefined) return this;
    const entries = new Map(this.#entries);
    entries.delete(key);
    return new ORSet(entries, new Set([...this.#tombstones, ...current.tags]));
  }

  has(value: T): boolean {
    return this.#entries.has(canonicalJson(value));
  }

  get size(): number {
    return this.#entries.size;
  }

  /** The elements, sorted by canonical form. */
  value(): T[] {
    return this.#sortedKeys().map((key) => (this.#entries.get(key) as Entry<T>).value);
  }

  /** The live tags of `value` (what a remove here would tombstone). */
  tagsOf(value: T): string[] {
    return [...(this.#entries.get(canonicalJson(value))?.tags ?? [])].sort();
  }

  merge(other: ORSet<T>): ORSet<T> {
    const tombstones = new Set([...this.#tombstones, ...other.#tombstones]);
    const entries = new Map<string, Entry<T>>();
    for (const source of [this.#entries, other.#entries]) {
      for (const [key, entry] of source) {
        const tags = new Set(entries.get(key)?.tags);
        for (const tag of entry.tags) if (!tombstones.has(tag)) tags.add(tag);
        if (tags.size > 0) entries.set(key, { value: entry.value, tags });
      }
    }
    return new ORSet(entries, tombstones);
  }

  toJSON(): ORSetState<T> {
    return {
      entries: this.#sortedKeys().map((key) => {
        const entry = this.#entries.get(key) as Entry<T>;
        return [entry.value, [...entry.tags].sort()] as const;
      }),
      tombstones: [...this.#tombstones].sort(),
    };
  }

  #sortedKeys(): string[] {
    return [...this.#entries.keys()].sort();
  }
}
