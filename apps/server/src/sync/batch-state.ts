import type { EntitySchema, RecordState } from "@sync/entities";
import { membership } from "@sync/entities";
import { eq, sql } from "drizzle-orm";
import { executeRows } from "../db/rows.js";
import { memberships } from "../db/schema/index.js";
import type { Queryable } from "../db/types.js";
import type { ChangeCollector, ChangeEvent } from "./change-event.js";
import {
  type EntityTable,
  entityTable,
  loadRecords,
  type StoredRecord,
  toStored,
  upsertVersioned,
  type VersionedWrite,
} from "./entity-tables.js";
import { versionsUnderLock } from "./version-lock.js";

/** A version to be assigned when the batch is written; rows in results read it afterwards. */
export interface VersionRef {
  version: number;
}

/** A record as the batch sees it: the stored row, or the state an earlier op of the batch left. */
export interface WorkingRecord {
  readonly state: RecordState;
  readonly ref: VersionRef;
}

interface PendingWrite {
  readonly table: EntityTable;
  readonly state: RecordState;
  readonly ref: VersionRef;
  readonly listId: string | undefined;
  readonly userId: string | undefined;
}

/**
 * Everything one push reads, loaded up front (one query per entity table it touches plus one
 * for the caller's memberships), so that deciding each op is pure and in memory.
 */
export interface BatchState {
  readonly userId: string;
  readonly records: Map<string, Map<string, WorkingRecord>>;
  /** List id -> id of the caller's membership row there (active or tombstoned). */
  readonly membershipOf: Map<string, string>;
  readonly writes: PendingWrite[];
}

const membershipTable = entityTable(membership.name);

const working = (stored: StoredRecord): WorkingRecord => ({
  state: stored.state,
  ref: { version: stored.version },
});

function tableRecords(batch: BatchState, entity: string): Map<string, WorkingRecord> {
  let records = batch.records.get(entity);
  if (!records) {
    records = new Map();
    batch.records.set(entity, records);
  }
  return records;
}

type Touched = Iterable<{ readonly entity: string; readonly id: string }>;

function idsByEntity(schema: EntitySchema, touched: Touched): [string, string[]][] {
  const byEntity = new Map<string, Set<string>>();
  for (const { entity, id } of touched) {
    if (!schema.get(entity)) continue;
    let ids = byEntity.get(entity);
    if (!ids) {
      ids = new Set();
      byEntity.set(entity, ids);
    }
    ids.add(id);
  }
  return [...byEntity]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([entity, ids]) => [entity, [...ids]]);
}

/**
 * Loads the rows the batch writes, locked (FOR UPDATE, in id order per table so concurrent
 * pushes lock in the same order), and every membership row of the caller.
 */
export async function loadBatchState(
  db: Queryable,
  schema: EntitySchema,
  userId: string,
  touched: Touched,
): Promise<BatchState> {
  const batch: BatchState = { userId, records: new Map(), membershipOf: new Map(), writes: [] };
  const tables = idsByEntity(schema, touched);
  // Issued together, in one fixed table order: on one connection they run in that order (so
  // concurrent pushes never take these row locks crosswise) for one round trip, not one each.
  // Memberships last, as before: read once the row locks are held.
  const [loaded, own] = await Promise.all([
    Promise.all(
      tables.map(([entity, ids]) => loadRecords(db, entityTable(entity), ids, { forUpdate: true })),
    ),
    db.select().from(memberships).where(eq(memberships.userId, userId)),
  ]);
  tables.forEach(([entity], i) => {
    const records = tableRecords(batch, entity);
    for (const stored of loaded[i] ?? []) records.set(stored.state.id, working(stored));
  });
  const memberRecords = tableRecords(batch, membership.name);
  for (const record of own) {
    const stored = toStored(membershipTable, record);
    if (!memberRecords.has(stored.state.id)) memberRecords.set(stored.state.id, working(stored));
    batch.membershipOf.set(record.listId, record.id);
  }
  return batch;
}

/**
 * Adds records the batch only reads (a duplicate's row, answered as it is now) without locking
 * them: they are not written, and a late lock outside the fixed order could deadlock.
 */
export async function addReadOnlyRecords(
  db: Queryable,
  schema: EntitySchema,
  batch: BatchState,
  touched: Touched,
): Promise<void> {
  const missing = [...touched].filter(({ entity, id }) => !currentRecord(batch, entity, id));
  const tables = idsByEntity(schema, missing);
  const loaded = await Promise.all(
    tables.map(([entity, ids]) => loadRecords(db, entityTable(entity), ids)),
  );
  tables.forEach(([entity], i) => {
    const records = tableRecords(batch, entity);
    for (const stored of loaded[i] ?? []) {
      if (!records.has(stored.state.id)) records.set(stored.state.id, working(stored));
    }
  });
}

export function currentRecord(
  batch: BatchState,
  entity: string,
  id: string,
): WorkingRecord | undefined {
  return batch.records.get(entity)?.get(id);
}

/** The caller's membership row of the list, as of this point in the batch. */
export function ownMembership(batch: BatchState, listId: string): WorkingRecord | undefined {
  const id = batch.membershipOf.get(listId);
  return id === undefined ? undefined : currentRecord(batch, membership.name, id);
}

export function isBatchMember(batch: BatchState, listId: string): boolean {
  const record = ownMembership(batch, listId);
  return record !== undefined && !record.state.deleted;
}

/** Records a write: later ops of the batch see it; its version is assigned by {@link writeBatch}. */
export function stageWrite(
  batch: BatchState,
  table: EntityTable,
  state: RecordState,
  change: { listId: string | undefined; userId?: string },
): WorkingRecord {
  const record: WorkingRecord = { state, ref: { version: 0 } };
  tableRecords(batch, table.definition.name).set(state.id, record);
  if (table === membershipTable && state.fields.userId === batch.userId) {
    const listId = state.fields.listId;
    if (typeof listId === "string") batch.membershipOf.set(listId, state.id);
  }
  batch.writes.push({
    table,
    state,
    ref: record.ref,
    listId: change.listId,
    userId: change.userId,
  });
  return record;
}

/**
 * One statement (C1): takes the version lock, draws a version for every staged write in op
 * order, and writes each table's final rows with one multi-row upsert per table. A record
 * written twice in the batch is stored once with its last version; the earlier version numbers
 * stay unused, which pull tolerates (it reads `version > cursor`, and gaps exist anyway).
 * Needing nothing from earlier statements, it can be issued with them in one round trip.
 */
export async function writeBatch(
  db: Queryable,
  batch: BatchState,
  changes: ChangeCollector,
  /** Announces the finished event within the transaction, before it commits. */
  announce?: (event: ChangeEvent) => Promise<void>,
): Promise<void> {
  if (batch.writes.length === 0) return;
  const finalByTable = new Map<EntityTable, Map<string, VersionedWrite>>();
  batch.writes.forEach((write, i) => {
    let rows = finalByTable.get(write.table);
    if (!rows) {
      rows = new Map();
      finalByTable.set(write.table, rows);
    }
    rows.set(write.state.id, { state: write.state, k: i + 1 });
  });
  const upserts = [...finalByTable].map(
    ([table, rows], i) =>
      sql`, write_${sql.raw(String(i))} as (${upsertVersioned(table, [...rows.values()])})`,
  );
  const rows = await executeRows<{ v: string | number }>(
    db,
    sql`with ${versionsUnderLock(batch.writes.length)}${sql.join(upserts)} select unnest(a) as v from versions`,
  );
  const versions = rows.map((r) => Number(r.v));
  // The version below this write's first was the last one drawn before it took the lock: the
  // committed head it started from (ChangeEvent.prev). If that writer rolled back, prev names
  // no event and streams see a gap, which is safe (they poke).
  changes.prev = (versions[0] ?? 1) - 1;
  changes.trackRows();
  batch.writes.forEach((write, i) => {
    const version = versions[i];
    if (version === undefined) throw new Error("fewer versions than writes");
    write.ref.version = version;
    changes.add(version, write.listId, write.userId);
  });
  const finalWrites = new Map<string, PendingWrite>();
  for (const write of batch.writes)
    finalWrites.set(`${write.table.definition.name}/${write.state.id}`, write);
  for (const write of finalWrites.values()) {
    changes.addRow(write.listId, { ...write.state, version: write.ref.version });
  }
  const event = changes.event();
  if (announce && event) await announce(event);
}
