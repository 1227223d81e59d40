import { HlcFormatError, isHlcString } from "@sync/clock";
import { lwwJoin } from "./lww-join.js";
import { PersistentMap } from "./persistent-map.js";

/** A key's register: its value, or a tombstone; either way with the clock of that write. */
export type LWWMapEntry<V> = LiveEntry<V> | Tombstone;

interface LiveEntry<V> {
  readonly hlc: string;
  readonly value: V;
}

interface Tombstone {
  readonly hlc: string;
  readonly deleted: true;
}

export type LWWMapState<V> = Readonly<Record<string, LWWMapEntry<V>>>;

/**
 * Map of last-writer-wins registers (R6). A removal is a tombstone with its own clock, so it
 * beats older writes and loses to newer ones (an explicit restore), wherever it arrives from.
 * Tombstones stay in the state; dropping them is the caller's garbage collection.
 */
export class LWWMap<V> {
  // Structurally shared, so a write copies one trie path rather than every entry.
  readonly #entries: PersistentMap<LWWMapEntry<V>>;

  private constructor(entries: PersistentMap<LWWMapEntry<V>>) {
    this.#entries = entries;
  }

  static empty<V>(): LWWMap<V> {
    return new LWWMap<V>(PersistentMap.empty());
  }

  static fromJSON<V>(state: LWWMapState<V>): LWWMap<V> {
    let entries = PersistentMap.empty<LWWMapEntry<V>>();
    for (const [key, entry] of Object.entries(state)) {
      checkHlc(entry.hlc);
      entries = entries.set(
        key,
        isTombstone(entry) ? tombstone(entry.hlc) : live(entry.value, entry.hlc),
      );
    }
    return new LWWMap(entries);
  }

  set(key: string, value: V, hlc: string): LWWMap<V> {
    checkHlc(hlc);
    return this.#write(key, live(value, hlc));
  }

  remove(key: string, hlc: string): LWWMap<V> {
    checkHlc(hlc);
    return this.#write(key, tombstone(hlc));
  }

  get(key: string): V | undefined {
    const entry = this.#entries.get(key);
    return entry === undefined || isTombstone(entry) ? undefined : entry.value;
  }

  has(key: string): boolean {
    const entry = this.#entries.get(key);
    return entry !== undefined && !isTombstone(entry);
  }

  /** The clock of the key's last write, a removal included. */
  clockOf(key: string): string | undefined {
    return this.#entries.get(key)?.hlc;
  }

  isRemoved(key: string): boolean {
    const entry = this.#entries.get(key);
    return entry !== undefined && isTombstone(entry);
  }

  /** Live keys, sorted. */
  keys(): string[] {
    return [...this.#entries.keys()].filter((key) => this.has(key)).sort();
  }

  /** Live entries as a plain record. */
  value(): Record<string, V> {
    return Object.fromEntries(this.keys().map((key) => [key, this.get(key) as V]));
  }

  merge(other: LWWMap<V>): LWWMap<V> {
    const entries = this.#entries.merge(other.#entries, lwwJoin);
    if (entries === this.#entries) return this;
    return entries === other.#entries ? other : new LWWMap(entries);
  }

  toJSON(): LWWMapState<V> {
    return Object.fromEntries(
      [...this.#entries.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
    );
  }

  #write(key: string, entry: LWWMapEntry<V>): LWWMap<V> {
    const ours = this.#entries.get(key);
    if (ours !== undefined && lwwJoin(ours, entry) === ours) return this;
    return new LWWMap(this.#entries.set(key, entry));
  }
}

function isTombstone<V>(entry: LWWMapEntry<V>): entry is Tombstone {
  return "deleted" in entry && entry.deleted === true;
}

function live<V>(value: V, hlc: string): LWWMapEntry<V> {
  return { hlc, value };
}

function tombstone<V>(hlc: string): LWWMapEntry<V> {
  return { hlc, deleted: true };
}

function checkHlc(hlc: string): void {
  if (!isHlcString(hlc)) throw new HlcFormatError(`not an encoded HLC: ${String(hlc)}`);
}
