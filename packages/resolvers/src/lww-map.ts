import { HlcFormatError, isHlcString } from "@sync/clock";
import { lwwJoin } from "./lww-join.js";
import { OpLog } from "./op-log.js";
import { Version } from "./reroot-store.js";

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

/** The single map of the version store: key -> entry. */
const ENTRIES = 0;

/**
 * Map of last-writer-wins registers (R6). A removal is a tombstone with its own clock, so it
 * beats older writes and loses to newer ones (an explicit restore), wherever it arrives from.
 * Tombstones stay in the state; dropping them is the caller's garbage collection.
 *
 * Inside: the entries live in a rerooting version store (a write costs one `Map.set`, older
 * values stay valid), and every effective write is logged as (key, entry) in an {@link OpLog},
 * so `merge` applies only the other side's writes this state has not seen.
 */
export class LWWMap<V> {
  readonly #version: Version;
  readonly #log: OpLog;

  private constructor(version: Version, log: OpLog) {
    this.#version = version;
    this.#log = log;
  }

  static empty<V>(): LWWMap<V> {
    return new LWWMap<V>(Version.empty(1), OpLog.empty());
  }

  static fromJSON<V>(state: LWWMapState<V>): LWWMap<V> {
    let map = LWWMap.empty<V>();
    for (const [key, entry] of Object.entries(state)) {
      checkHlc(entry.hlc);
      map = map.#write(
        key,
        isTombstone(entry) ? tombstone(entry.hlc) : live(entry.value, entry.hlc),
      );
    }
    return map;
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
    const entry = this.#entry(key);
    return entry === undefined || isTombstone(entry) ? undefined : entry.value;
  }

  has(key: string): boolean {
    const entry = this.#entry(key);
    return entry !== undefined && !isTombstone(entry);
  }

  /** The clock of the key's last write, a removal included. */
  clockOf(key: string): string | undefined {
    return this.#entry(key)?.hlc;
  }

  isRemoved(key: string): boolean {
    const entry = this.#entry(key);
    return entry !== undefined && isTombstone(entry);
  }

  /** Live keys, sorted. */
  keys(): string[] {
    const keys: string[] = [];
    for (const [key, entry] of this.#entries()) if (!isTombstone(entry)) keys.push(key);
    return keys.sort();
  }

  /** Live entries as a plain record. */
  value(): Record<string, V> {
    const entries = this.#entries();
    return Object.fromEntries(
      this.keys().map((key) => [key, (entries.get(key) as LiveEntry<V>).value]),
    );
  }

  /** The join (R3): every write of `other` this map has not seen, each kept where it wins. */
  merge(other: LWWMap<V>): LWWMap<V> {
    if (other === this) return this;
    let version = this.#version;
    const log = this.#log.join(other.#log, (lineage, from, to) => {
      version = version.edit((tx) => {
        for (let i = from; i < to; i += 2) {
          const key = lineage[i] as string;
          const entry = lineage[i + 1] as LWWMapEntry<V>;
          const ours = tx.get(ENTRIES, key) as LWWMapEntry<V> | undefined;
          if (ours === entry) continue;
          if (ours === undefined || lwwJoin(ours, entry) !== ours) tx.set(ENTRIES, key, entry);
        }
      });
    });
    return log === this.#log ? this : new LWWMap(version, log);
  }

  toJSON(): LWWMapState<V> {
    return Object.fromEntries(
      [...this.#entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
    );
  }

  #entries(): Map<string, LWWMapEntry<V>> {
    return this.#version.read()[ENTRIES] as Map<string, LWWMapEntry<V>>;
  }

  #entry(key: string): LWWMapEntry<V> | undefined {
    return this.#entries().get(key);
  }

  #write(key: string, entry: LWWMapEntry<V>): LWWMap<V> {
    const ours = this.#entry(key);
    if (ours !== undefined && lwwJoin(ours, entry) === ours) return this;
    return new LWWMap(this.#version.set(ENTRIES, key, entry), this.#log.append([key, entry]));
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
