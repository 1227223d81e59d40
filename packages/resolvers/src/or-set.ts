import { canonicalJson } from "./canonical-json.js";
import { type Lineage, OpLog } from "./op-log.js";
import { type Transaction, Version } from "./reroot-store.js";

/** Live elements with their unremoved tags, and the tags removed so far. Both sorted. */
export interface ORSetState<T> {
  readonly entries: ReadonlyArray<readonly [T, ReadonlyArray<string>]>;
  readonly tombstones: ReadonlyArray<string>;
}

interface Entry<T> {
  readonly value: T;
  readonly tags: ReadonlyArray<string>;
}

/** What a tag is: removed, or live on the element(s) with these canonical keys. */
type TagState = typeof REMOVED | string | readonly string[];

const REMOVED = 0;
/** Store maps: canonical key -> Entry, and tag -> TagState. */
const ELEMENTS = 0;
const TAGS = 1;
/** Log items are triples: (tag, canonical key, value) for an add, (tag, null, null) for a removal. */
const STRIDE = 3;

/**
 * Observed-remove set, add wins (R7). Every add carries a tag that is unique across replicas
 * (an HLC from the adding replica's clock is one); a remove tombstones only the tags it has
 * seen, so an add concurrent with a remove survives. Elements are equal when their canonical
 * JSON is, so the same element added on two replicas is one element with two tags.
 *
 * Inside: elements and tags live in a rerooting version store, and each add and each removed
 * tag is logged in an {@link OpLog}, so `merge` applies only what this set has not seen.
 */
export class ORSet<T> {
  readonly #version: Version;
  readonly #log: OpLog;

  private constructor(version: Version, log: OpLog) {
    this.#version = version;
    this.#log = log;
  }

  static empty<T>(): ORSet<T> {
    return new ORSet<T>(Version.empty(2), OpLog.empty());
  }

  static fromJSON<T>(state: ORSetState<T>): ORSet<T> {
    const items: unknown[] = [];
    for (const tag of state.tombstones) items.push(tag, null, null);
    const empty = ORSet.empty<T>();
    let set = new ORSet<T>(
      empty.#version.edit((tx) => applyItems(tx, items, 0, items.length)),
      empty.#log.append(items),
    );
    for (const [value, tags] of state.entries) for (const tag of tags) set = set.add(value, tag);
    return set;
  }

  /** Add `value` under a fresh unique `tag`. Re-adding the same value with the same tag is a no-op. */
  add(value: T, tag: string): ORSet<T> {
    if (tag.length === 0) throw new RangeError("an OR-Set tag must be a non-empty string");
    const key = canonicalJson(value);
    const state = this.#maps()[TAGS]?.get(tag) as TagState | undefined;
    if (state === REMOVED || state === key) return this;
    if (typeof state === "object" && state.includes(key)) return this;
    if (state !== undefined) {
      throw new RangeError(`OR-Set tag ${tag} is already used by another element`);
    }
    return new ORSet(
      this.#version.edit((tx) => addTag(tx, tag, key, value)),
      this.#log.append([tag, key, value]),
    );
  }

  /** Remove `value` as this replica sees it: every tag observed so far is tombstoned. */
  remove(value: T): ORSet<T> {
    const current = this.#entry(canonicalJson(value));
    if (current === undefined) return this;
    const items: unknown[] = [];
    for (const tag of current.tags) items.push(tag, null, null);
    return new ORSet(
      this.#version.edit((tx) => applyItems(tx, items, 0, items.length)),
      this.#log.append(items),
    );
  }

  has(value: T): boolean {
    return this.#entry(canonicalJson(value)) !== undefined;
  }

  get size(): number {
    return (this.#maps()[ELEMENTS] as Map<string, unknown>).size;
  }

  /** The elements, sorted by canonical form. */
  value(): T[] {
    return this.#sortedEntries().map((entry) => entry.value);
  }

  /** The live tags of `value` (what a remove here would tombstone). */
  tagsOf(value: T): string[] {
    return [...(this.#entry(canonicalJson(value))?.tags ?? [])].sort();
  }

  /** The join (R3): every add and removal of `other` this set has not seen. */
  merge(other: ORSet<T>): ORSet<T> {
    if (other === this) return this;
    let version = this.#version;
    const log = this.#log.join(other.#log, (lineage, from, to) => {
      version = version.edit((tx) => applyItems(tx, lineage, from, to));
    });
    return log === this.#log ? this : new ORSet(version, log);
  }

  toJSON(): ORSetState<T> {
    const tombstones: string[] = [];
    for (const [tag, state] of this.#maps()[TAGS] as Map<string, TagState>) {
      if (state === REMOVED) tombstones.push(tag);
    }
    return {
      entries: this.#sortedEntries().map((entry) => [entry.value, [...entry.tags].sort()] as const),
      tombstones: tombstones.sort(),
    };
  }

  #maps(): Map<string, unknown>[] {
    return this.#version.read();
  }

  #entry(key: string): Entry<T> | undefined {
    return (this.#maps()[ELEMENTS] as Map<string, Entry<T>>).get(key);
  }

  #sortedEntries(): Entry<T>[] {
    const elements = this.#maps()[ELEMENTS] as Map<string, Entry<T>>;
    return [...elements.keys()].sort().map((key) => elements.get(key) as Entry<T>);
  }
}

/** Applies log items `[from, to)`; each is a join, so order and repeats do not matter. */
function applyItems(tx: Transaction, items: Lineage, from: number, to: number): void {
  for (let i = from; i < to; i += STRIDE) {
    const tag = items[i] as string;
    const key = items[i + 1] as string | null;
    if (key === null) removeTag(tx, tag);
    else addTag(tx, tag, key, items[i + 2]);
  }
}

function addTag(tx: Transaction, tag: string, key: string, value: unknown): void {
  const state = tx.get(TAGS, tag) as TagState | undefined;
  if (state === REMOVED || state === key) return;
  if (state === undefined) tx.set(TAGS, tag, key);
  else {
    // A tag reused for another element (a misbehaving replica): live on both, as each saw it.
    const owners = typeof state === "string" ? [state] : state;
    if (owners.includes(key)) return;
    tx.set(TAGS, tag, [...owners, key].sort());
  }
  const entry = tx.get(ELEMENTS, key) as Entry<unknown> | undefined;
  tx.set(
    ELEMENTS,
    key,
    entry === undefined
      ? { value, tags: [tag] }
      : { value: entry.value, tags: [...entry.tags, tag] },
  );
}

function removeTag(tx: Transaction, tag: string): void {
  const state = tx.get(TAGS, tag) as TagState | undefined;
  if (state === REMOVED) return;
  tx.set(TAGS, tag, REMOVED);
  if (state === undefined) return;
  for (const key of typeof state === "string" ? [state] : state) {
    const entry = tx.get(ELEMENTS, key) as Entry<unknown>;
    const tags = entry.tags.filter((t) => t !== tag);
    if (tags.length === 0) tx.delete(ELEMENTS, key);
    else tx.set(ELEMENTS, key, { value: entry.value, tags });
  }
}
