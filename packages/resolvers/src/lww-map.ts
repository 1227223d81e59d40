import { HlcFormatError, isHlcString } from "@sync/clock";
import { lwwJoin } from "./lww-join.js";

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
  readonly #entries: ReadonlyMap<string, LWWMapEntry<V>>;

  private constructor(entries: ReadonlyMap<string, LWWMapEntry<V>>) {
    this.#entries = entries;
  }

  static empty<V>(): LWWMap<V> {
    return new LWWMap<V>(new Map());
  }

  static fromJSON<V>(state: LWWMapState<V>): LWWMap<V> {
    const entries = new Map<string, LWWMapEntry<V>>();
    for (const [key, entry] of Object.entries(state)) {
      checkHlc(entry.hlc);
      entries.set(key, isTombstone(entry) ? tombstone(entry.hlc) : live(entry.value, entry.hlc));
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
    let entries: Map<string, LWWMapEntry<V>> | undefined;
    for (const [key, theirs] of other.#entries) {
      const ours = this.#entries.get(key);
      if (ours !== undefined && lwwJoin(ours, theirs) === ours) continue;
      entries ??= new Map(this.#entries);
      entries.set(key, theirs);
    }
    return entries === undefined ? this : new LWWMap(entries);
  }

  toJSON(): LWWMapState<V> {
    return Object.fromEntries([...this.#entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  }

  #write(key: string, entry: LWWMapEntry<V>): LWWMap<V> {
    return this.merge(new LWWMap(new Map([[key, entry]])));
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
