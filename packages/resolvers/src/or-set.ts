import { canonicalJson } from "./canonical-json.js";
import { PersistentMap } from "./persistent-map.js";

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
  readonly #entries: PersistentMap<Entry<T>>;
  /** Live tag -> canonical key of its element, so add checks uniqueness without a scan. */
  readonly #owners: PersistentMap<string>;
  readonly #tombstones: PersistentMap<true>;

  private constructor(
    entries: PersistentMap<Entry<T>>,
    owners: PersistentMap<string>,
    tombstones: PersistentMap<true>,
  ) {
    this.#entries = entries;
    this.#owners = owners;
    this.#tombstones = tombstones;
  }

  static empty<T>(): ORSet<T> {
    return new ORSet<T>(PersistentMap.empty(), PersistentMap.empty(), PersistentMap.empty());
  }

  static fromJSON<T>(state: ORSetState<T>): ORSet<T> {
    let tombstones = PersistentMap.empty<true>();
    for (const tag of state.tombstones) tombstones = tombstones.set(tag, true);
    let set = new ORSet<T>(PersistentMap.empty(), PersistentMap.empty(), tombstones);
    for (const [value, tags] of state.entries) for (const tag of tags) set = set.add(value, tag);
    return set;
  }

  /** Add `value` under a fresh unique `tag`. Re-adding the same value with the same tag is a no-op. */
  add(value: T, tag: string): ORSet<T> {
    if (tag.length === 0) throw new RangeError("an OR-Set tag must be a non-empty string");
    const key = canonicalJson(value);
    const owner = this.#owners.get(tag);
    if (owner !== undefined && owner !== key) {
      throw new RangeError(`OR-Set tag ${tag} is already used by another element`);
    }
    if (owner === key || this.#tombstones.has(tag)) return this;
    const current = this.#entries.get(key);
    const tags = new Set(current?.tags);
    tags.add(tag);
    return new ORSet(
      this.#entries.set(key, { value, tags }),
      this.#owners.set(tag, key),
      this.#tombstones,
    );
  }

  /** Remove `value` as this replica sees it: every tag observed so far is tombstoned. */
  remove(value: T): ORSet<T> {
    const key = canonicalJson(value);
    const current = this.#entries.get(key);
    if (current === undefined) return this;
    let owners = this.#owners;
    let tombstones = this.#tombstones;
    for (const tag of current.tags) {
      if (owners.get(tag) === key) owners = owners.delete(tag);
      tombstones = tombstones.set(tag, true);
    }
    return new ORSet(this.#entries.delete(key), owners, tombstones);
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
    if (other === this) return this;
    const tombstones = this.#tombstones.merge(other.#tombstones, keepOurs);
    let entries = this.#entries;
    let owners = this.#owners;
    // Only tags live here and newly tombstoned there need dropping: O(live tags), not O(removed).
    if (tombstones !== this.#tombstones) {
      for (const [key, entry] of this.#entries.entries()) {
        // Their live tags never meet their tombstones, so an entry they share is untouched.
        if (other.#entries.get(key) === entry) continue;
        let kept: Set<string> | undefined;
        for (const tag of entry.tags) {
          if (!tombstones.has(tag)) continue;
          kept ??= new Set(entry.tags);
          kept.delete(tag);
          if (owners.get(tag) === key) owners = owners.delete(tag);
        }
        if (kept === undefined) continue;
        entries =
          kept.size === 0
            ? entries.delete(key)
            : entries.set(key, { value: entry.value, tags: kept });
      }
    }
    if (other.#entries !== this.#entries) {
      for (const [key, entry] of other.#entries.entries()) {
        const current = entries.get(key);
        if (current === entry) continue;
        let tags: Set<string> | undefined;
        for (const tag of entry.tags) {
          if (tombstones.has(tag) || current?.tags.has(tag) === true) continue;
          tags ??= new Set(current?.tags);
          tags.add(tag);
          if (!owners.has(tag)) owners = owners.set(tag, key);
        }
        if (tags !== undefined) entries = entries.set(key, { value: entry.value, tags });
      }
    }
    if (entries === this.#entries && tombstones === this.#tombstones) return this;
    return new ORSet(entries, owners, tombstones);
  }

  toJSON(): ORSetState<T> {
    return {
      entries: this.#sortedKeys().map((key) => {
        const entry = this.#entries.get(key) as Entry<T>;
        return [entry.value, [...entry.tags].sort()] as const;
      }),
      tombstones: [...this.#tombstones.keys()].sort(),
    };
  }

  #sortedKeys(): string[] {
    return [...this.#entries.keys()].sort();
  }
}

function keepOurs(ours: true): true {
  return ours;
}
