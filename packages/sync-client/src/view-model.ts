import { applyOperation, type EntitySchema, type RecordState } from "@sync/entities";
import type { Row } from "@sync/protocol";
import type { QueueEntry } from "@sync/queue";
import { type PendingOp, toOperation } from "./pending-op.js";
import { recordKey } from "./record-key.js";
import { type Restamps, rebase } from "./restamps.js";
import type { ViewRecord } from "./types.js";

/**
 * The view (rules L1, L2): for each record, the last confirmed server row with the pending
 * operations replayed on top by `applyOperation`, the same merge the server runs. Nothing here
 * merges by hand: dropping an operation and replaying is the rollback, and a pulled row that
 * replaces the confirmed state is merged with local edits by their field clocks.
 */
export class ViewModel {
  readonly #schema: EntitySchema;
  readonly #confirmed = new Map<string, Row>();
  /** Pending operations per record key, each list in seq order. */
  #pending = new Map<string, QueueEntry<PendingOp>[]>();
  /** Which record each pending seq belongs to, so acknowledgements touch only their records. */
  readonly #keyOfSeq = new Map<number, string>();
  /** Seqs the server settled: a stale read of the queue must not bring them back (seqs are never reused). */
  readonly #settled = new Set<number>();
  /** Seqs at or below this the server had processed as of the confirmed rows (L23). */
  #processedThrough = 0;
  /** Queued seqs held back from the replay for that reason, until their push is answered. */
  readonly #processed = new Set<number>();
  readonly #states = new Map<string, RecordState>();
  readonly #byEntity = new Map<string, Map<string, ViewRecord>>();
  /** The same records in id order, kept up to date per change: `list` never re-sorts. */
  readonly #sorted = new Map<string, ViewRecord[]>();
  #restamps: Restamps = new Map();
  #confirmedChanges = 0;

  constructor(schema: EntitySchema) {
    this.#schema = schema;
  }

  confirmed(entity: string, id: string): Row | undefined {
    return this.#confirmed.get(recordKey(entity, id));
  }

  /** The rebased state (with field clocks) of a record, as the person sees it. */
  state(entity: string, id: string): RecordState | undefined {
    return this.#states.get(recordKey(entity, id));
  }

  get(entity: string, id: string): ViewRecord | undefined {
    return this.#byEntity.get(entity)?.get(id);
  }

  list(entity: string): ViewRecord[] {
    // Ids are UUIDv7: id order is creation order.
    return [...(this.#sorted.get(entity) ?? [])];
  }

  /** Bumped whenever a confirmed row is put or dropped, so a reader can tell it raced one. */
  get confirmedChanges(): number {
    return this.#confirmedChanges;
  }

  /**
   * Replaces the confirmed rows of these records, unless the view holds a newer version (the
   * store's rule, L5): a read of the store that an acknowledgement or a pull overtook must not
   * bring back the older row, whose pending operation is already settled. Returns the keys to
   * recompute.
   */
  putConfirmed(rows: readonly Row[]): string[] {
    const keys: string[] = [];
    for (const row of rows) {
      const key = recordKey(row.entity, row.id);
      const current = this.#confirmed.get(key);
      if (current && current.version > row.version) continue;
      this.#confirmed.set(key, row);
      this.#confirmedChanges++;
      keys.push(key);
    }
    return keys;
  }

  /**
   * Full resync or re-read of the whole store: the confirmed set becomes `rows`, except a row
   * the view holds in a newer version than its copy in `rows` (as in `putConfirmed`).
   */
  replaceConfirmed(rows: readonly Row[]): string[] {
    const keys = new Set(this.#confirmed.keys());
    const previous = new Map(this.#confirmed);
    this.#confirmed.clear();
    this.#confirmedChanges++;
    for (const row of rows) {
      const key = recordKey(row.entity, row.id);
      const current = previous.get(key);
      this.#confirmed.set(key, current && current.version > row.version ? current : row);
      keys.add(key);
    }
    return [...keys];
  }

  /** Replaces the whole pending list (read from the shared store); returns the keys it touched. */
  setPending(entries: readonly QueueEntry<PendingOp>[]): string[] {
    const next = new Map<string, QueueEntry<PendingOp>[]>();
    this.#processed.clear();
    const live = entries.filter((entry) => {
      if (this.#settled.has(entry.seq)) return false;
      if (entry.seq > this.#processedThrough) return true;
      this.#processed.add(entry.seq);
      return false;
    });
    for (const entry of live.sort((a, b) => a.seq - b.seq)) {
      const key = recordKey(entry.item.entity, entry.item.id);
      const list = next.get(key);
      if (list) list.push(entry);
      else next.set(key, [entry]);
    }
    const touched = new Set<string>();
    for (const [key, list] of next) {
      if (!sameSeqs(list, this.#pending.get(key))) touched.add(key);
    }
    for (const key of this.#pending.keys()) if (!next.has(key)) touched.add(key);
    this.#pending = next;
    this.#keyOfSeq.clear();
    for (const [key, list] of next) for (const entry of list) this.#keyOfSeq.set(entry.seq, key);
    return [...touched];
  }

  /**
   * One new local operation: O(operations of its record), so writes stay as fast with a long
   * queue as with an empty one. Returns the keys to recompute.
   */
  addPending(entry: QueueEntry<PendingOp>): string[] {
    if (this.#settled.has(entry.seq) || entry.seq <= this.#processedThrough) return [];
    if (this.#keyOfSeq.has(entry.seq)) return [];
    const key = recordKey(entry.item.entity, entry.item.id);
    const list = this.#pending.get(key);
    if (!list) this.#pending.set(key, [entry]);
    else insertBySeq(list, entry);
    this.#keyOfSeq.set(entry.seq, key);
    return [key];
  }

  /** Drops acknowledged operations for good; returns the keys to recompute (only those touched). */
  settle(seqs: Iterable<number>): string[] {
    const touched = new Set<string>();
    for (const seq of seqs) {
      this.#settled.add(seq);
      this.#processed.delete(seq);
      const key = this.#keyOfSeq.get(seq);
      if (key === undefined) continue;
      this.#keyOfSeq.delete(seq);
      touched.add(key);
    }
    for (const key of touched) {
      const rest = (this.#pending.get(key) ?? []).filter((entry) => !this.#settled.has(entry.seq));
      if (rest.length > 0) this.#pending.set(key, rest);
      else this.#pending.delete(key);
    }
    return [...touched];
  }

  /**
   * The server had processed every operation up to `seq` as of the confirmed rows (a pull's
   * `lastSeq`, L23): their effects are in those rows, so replaying them would count them twice
   * (an increment whose answer was lost). They stay queued until the push answers. Returns the
   * keys to recompute.
   */
  settleThrough(seq: number): string[] {
    if (seq <= this.#processedThrough) return [];
    this.#processedThrough = seq;
    const touched = new Set<string>();
    for (const [pending, key] of this.#keyOfSeq) {
      if (pending > seq) continue;
      this.#keyOfSeq.delete(pending);
      this.#processed.add(pending);
      touched.add(key);
    }
    for (const key of touched) {
      const rest = (this.#pending.get(key) ?? []).filter((entry) => entry.seq > seq);
      if (rest.length > 0) this.#pending.set(key, rest);
      else this.#pending.delete(key);
    }
    return [...touched];
  }

  /** Server re-stamps to apply to pending bases (rule L19); returns the keys to recompute. */
  setRestamps(restamps: Restamps): string[] {
    this.#restamps = restamps;
    return [...this.#pending.keys()];
  }

  /** Queued operations the view knows of: replayed, or held back as processed (L23). */
  pendingCount(): number {
    return this.#keyOfSeq.size + this.#processed.size;
  }

  pendingEntries(): QueueEntry<PendingOp>[] {
    return [...this.#pending.values()].flat().sort((a, b) => a.seq - b.seq);
  }

  allKeys(): string[] {
    return [
      ...new Set([...this.#confirmed.keys(), ...this.#pending.keys(), ...this.#states.keys()]),
    ];
  }

  /** Recomputes these records; returns true when any visible record changed. */
  recompute(keys: Iterable<string>): boolean {
    const all = Array.isArray(keys) ? (keys as string[]) : [...keys];
    if (all.length < BULK_PLACE) {
      let changed = false;
      for (const key of all) if (this.#recomputeOne(key, this.#placeNow)) changed = true;
      return changed;
    }
    // A pulled page: placing each record by splice is O(records) apiece, so the changes are
    // collected and merged into each entity's id-ordered list once.
    const moves = new Map<string, Map<string, ViewRecord | undefined>>();
    const collect = (entity: string, id: string, view: ViewRecord | undefined) => {
      let forEntity = moves.get(entity);
      if (!forEntity) {
        forEntity = new Map();
        moves.set(entity, forEntity);
      }
      forEntity.set(id, view);
    };
    let changed = false;
    for (const key of all) if (this.#recomputeOne(key, collect)) changed = true;
    for (const [entity, forEntity] of moves) {
      this.#sorted.set(entity, mergeSorted(this.#sorted.get(entity) ?? [], forEntity));
    }
    return changed;
  }

  readonly #placeNow = (entity: string, id: string, view: ViewRecord | undefined): void =>
    this.#place(entity, id, view);

  #recomputeOne(key: string, place: Place): boolean {
    const row = this.#confirmed.get(key);
    const pending = this.#pending.get(key) ?? [];
    let state: RecordState | undefined = row && {
      entity: row.entity,
      id: row.id,
      fields: row.fields,
      clocks: row.clocks,
      deleted: row.deleted,
    };
    for (const entry of pending) {
      const definition = this.#schema.get(entry.item.entity);
      if (!definition) continue;
      const result = applyOperation(definition, state, rebase(toOperation(entry), this.#restamps));
      // An operation that cannot apply here will be rejected by the server too: show it not.
      if (result.ok) state = result.state;
    }
    const [entity, id] = splitKey(key, row, pending[0]?.item);
    const previous = this.#byEntity.get(entity)?.get(id);
    if (!state) {
      this.#states.delete(key);
      if (!previous) return false;
      this.#byEntity.get(entity)?.delete(id);
      place(entity, id, undefined);
      return true;
    }
    this.#states.set(key, state);
    const view: ViewRecord = {
      entity,
      id,
      fields: state.fields,
      deleted: state.deleted,
      pending: pending.length > 0,
    };
    if (previous && sameView(previous, view)) return false;
    let records = this.#byEntity.get(entity);
    if (!records) {
      records = new Map();
      this.#byEntity.set(entity, records);
    }
    records.set(id, view);
    place(entity, id, view);
    return true;
  }

  /** Puts (or with `undefined` removes) a record in its entity's id-ordered list. */
  #place(entity: string, id: string, view: ViewRecord | undefined): void {
    let sorted = this.#sorted.get(entity);
    if (!sorted) {
      sorted = [];
      this.#sorted.set(entity, sorted);
    }
    const at = lowerBound(sorted, id);
    const present = sorted[at]?.id === id;
    if (view && present) sorted[at] = view;
    else if (view) sorted.splice(at, 0, view);
    else if (present) sorted.splice(at, 1);
  }
}

/** Records placed one by one up to this many per recompute; more are merged in one pass. */
const BULK_PLACE = 32;

type Place = (entity: string, id: string, view: ViewRecord | undefined) => void;

/**
 * `sorted` (id order) with `moves` applied: a record mapped to a view is put (replaced in place
 * or inserted), one mapped to undefined removed: O(moves log sorted) comparisons and one move
 * of each record, where placing one by one cost O(moves x sorted).
 */
function mergeSorted(
  sorted: ViewRecord[],
  moves: ReadonlyMap<string, ViewRecord | undefined>,
): ViewRecord[] {
  const inserts: ViewRecord[] = [];
  const removals: number[] = [];
  for (const [id, view] of moves) {
    const at = lowerBound(sorted, id);
    if (sorted[at]?.id === id) {
      if (view) sorted[at] = view;
      else removals.push(at);
    } else if (view) inserts.push(view);
  }
  // Removals are rare (a record with neither a confirmed row nor an operation): splice them.
  for (const at of removals.sort((a, b) => b - a)) sorted.splice(at, 1);
  if (inserts.length === 0) return sorted;
  inserts.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  // In place, from the end: each run of old records between two inserts moves once, by a
  // native copy; no string is compared but in the binary searches, and no new array is made
  // (a fresh array per page is 200 arrays of up to 100,000 entries for an initial sync).
  const positions = inserts.map((view) => lowerBound(sorted, view.id));
  let end = sorted.length;
  for (const view of inserts) sorted.push(view);
  for (let j = inserts.length - 1; j >= 0; j--) {
    const at = positions[j] as number;
    sorted.copyWithin(at + j + 1, at, end);
    sorted[at + j] = inserts[j] as ViewRecord;
    end = at;
  }
  return sorted;
}

function splitKey(
  key: string,
  row: Row | undefined,
  op: PendingOp | undefined,
): [entity: string, id: string] {
  if (row) return [row.entity, row.id];
  if (op) return [op.entity, op.id];
  const slash = key.indexOf("/");
  return [key.slice(0, slash), key.slice(slash + 1)];
}

/** First index whose id is not below `id` (new UUIDv7 ids land at the end). */
function lowerBound(sorted: readonly ViewRecord[], id: string): number {
  const last = sorted[sorted.length - 1];
  if (!last || last.id < id) return sorted.length;
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((sorted[mid]?.id ?? "") < id) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** Local writes arrive in seq order, so this is nearly always an append. */
function insertBySeq(list: QueueEntry<PendingOp>[], entry: QueueEntry<PendingOp>): void {
  let at = list.length;
  while (at > 0 && (list[at - 1]?.seq ?? 0) > entry.seq) at--;
  list.splice(at, 0, entry);
}

function sameSeqs(
  a: readonly QueueEntry<PendingOp>[],
  b: readonly QueueEntry<PendingOp>[] | undefined,
): boolean {
  return b !== undefined && a.length === b.length && a.every((e, i) => e.seq === b[i]?.seq);
}

function sameView(a: ViewRecord, b: ViewRecord): boolean {
  if (a.deleted !== b.deleted || a.pending !== b.pending) return false;
  const aKeys = Object.keys(a.fields);
  if (aKeys.length !== Object.keys(b.fields).length) return false;
  return aKeys.every((k) => sameValue(a.fields[k], b.fields[k]));
}

function sameValue(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((v, i) => v === b[i]);
  }
  return a === b;
}
