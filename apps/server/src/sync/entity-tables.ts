import {
  type EntityDefinition,
  item,
  list,
  membership,
  note,
  type RecordState,
} from "@sync/entities";
import type { FieldMap, Row } from "@sync/protocol";
import { asc, eq, getTableColumns, type SQL, sql } from "drizzle-orm";
import type { PgColumn, PgTable } from "drizzle-orm/pg-core";
import { items, lists, memberships, notes } from "../db/schema/index.js";
import type { Queryable } from "../db/types.js";
import { uuidArray } from "./array-param.js";

/** Columns every entity table has besides its typed fields (see db/schema/entities.ts). */
export const SYNC_COLUMNS = ["id", "clocks", "deleted", "version", "updatedAt"] as const;

/** The sync columns every entity table has, typed for generic queries (pull, join, GC). */
type SyncTable = PgTable & {
  readonly id: PgColumn;
  readonly version: PgColumn;
  readonly deleted: PgColumn;
  readonly updatedAt: PgColumn;
};

export interface EntityTable {
  readonly definition: EntityDefinition;
  readonly table: SyncTable;
  readonly columns: Record<string, PgColumn>;
  /** The column membership is checked on: the owner ref, or the id of a root entity. */
  readonly scope: PgColumn;
}

function entry(definition: EntityDefinition, table: SyncTable): EntityTable {
  // A field named like a sync column would silently share (and lose) that column.
  const reserved = SYNC_COLUMNS.find((name) => Object.hasOwn(definition.fields, name));
  if (reserved) throw new Error(`${definition.name}: field ${reserved} is a sync column name`);
  const columns: Record<string, PgColumn> = getTableColumns(table);
  const scopeName = definition.owner.kind === "root" ? "id" : definition.owner.field;
  const scope = columns[scopeName];
  if (!scope) throw new Error(`${definition.name}: table has no column ${scopeName}`);
  return { definition, table, columns, scope };
}

/**
 * One explicit table per entity definition: push, pull, join, GC and authorization are generic
 * over this list, so registering a table here is the whole server side of a new entity.
 * src/db/schema/entity-columns.test.ts checks every table against its definition.
 */
export const ENTITY_TABLES: readonly EntityTable[] = [
  entry(list, lists),
  entry(item, items),
  entry(membership, memberships),
  entry(note, notes),
];

const byName = new Map(ENTITY_TABLES.map((t) => [t.definition.name, t]));

export function entityTable(name: string): EntityTable {
  const table = byName.get(name);
  if (!table) throw new Error(`no table for entity "${name}"`);
  return table;
}

function column(t: EntityTable, name: string): PgColumn {
  const c = t.columns[name];
  if (!c) throw new Error(`${t.definition.name} has no column ${name}`);
  return c;
}

export interface StoredRecord {
  readonly state: RecordState;
  readonly version: number;
}

type DbRecord = Record<string, unknown> & {
  id: string;
  clocks: Record<string, string>;
  deleted: boolean;
  version: number;
};

export function toStored(t: EntityTable, record: DbRecord): StoredRecord {
  const fields: FieldMap = {};
  for (const [name, spec] of Object.entries(t.definition.fields)) {
    const value = record[name];
    if (value === null && !spec.nullable) continue;
    if (value !== undefined) fields[name] = value as FieldMap[string];
  }
  return {
    state: {
      entity: t.definition.name,
      id: record.id,
      fields,
      clocks: record.clocks,
      deleted: record.deleted,
    },
    version: Number(record.version),
  };
}

export function toRow(stored: StoredRecord): Row {
  return { ...stored.state, version: stored.version };
}

/** The list a record belongs to: its own id for the list entity, else its owner ref field. */
export function scopeOf(definition: EntityDefinition, state: Pick<RecordState, "id" | "fields">) {
  if (definition.owner.kind === "root") return state.id;
  const value = state.fields[definition.owner.field];
  return typeof value === "string" ? value : undefined;
}

export async function loadRecord(
  db: Queryable,
  t: EntityTable,
  id: string,
  options: { forUpdate?: boolean } = {},
): Promise<StoredRecord | undefined> {
  const query = db
    .select()
    .from(t.table)
    .where(eq(column(t, "id"), id))
    .limit(1);
  const [record] = (await (options.forUpdate ? query.for("update") : query)) as DbRecord[];
  return record ? toStored(t, record) : undefined;
}

/**
 * Inserts or replaces a record with a fresh version from the global sequence. The caller
 * must hold the version lock (see sync/version-lock.ts) so versions commit in order.
 */
export async function writeRecord(db: Queryable, t: EntityTable, state: RecordState) {
  const values: Record<string, unknown> = {
    id: state.id,
    clocks: state.clocks,
    deleted: state.deleted,
    version: sql`nextval('change_version_seq')`,
    updatedAt: sql`now()`,
  };
  for (const name of Object.keys(t.definition.fields)) values[name] = state.fields[name] ?? null;
  const { id: _id, ...set } = values;
  const [written] = await db
    .insert(t.table)
    .values(values as never)
    .onConflictDoUpdate({ target: column(t, "id"), set: set as never })
    .returning({ version: column(t, "version") });
  if (!written) throw new Error(`write of ${state.entity} ${state.id} returned nothing`);
  return { state, version: Number(written.version) } satisfies StoredRecord;
}

/** The stored records among `ids`, in id order (the order FOR UPDATE takes the row locks). */
export async function loadRecords(
  db: Queryable,
  t: EntityTable,
  ids: readonly string[],
  options: { forUpdate?: boolean } = {},
): Promise<StoredRecord[]> {
  if (ids.length === 0) return [];
  const id = column(t, "id");
  const query = db
    .select()
    .from(t.table)
    .where(sql`${id} = any(${uuidArray(ids)})`)
    .orderBy(asc(id));
  const records = (await (options.forUpdate ? query.for("update") : query)) as DbRecord[];
  return records.map((record) => toStored(t, record));
}

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** A record a batch leaves, and the position (from 1) of its version among the batch's. */
export interface VersionedWrite {
  readonly state: RecordState;
  readonly k: number;
}

/**
 * One multi-row upsert of records whose versions come from the `versions` CTE of the same
 * statement (see version-lock.ts versionsUnderLock): each takes the version at its position k.
 * Ids must be distinct. The rows travel as one jsonb parameter expanded by jsonb_to_recordset:
 * building a statement with a parameter per cell cost more CPU than the database spent on it.
 */
export function upsertVersioned(t: EntityTable, writes: readonly VersionedWrite[]): SQL {
  const version = column(t, "version").name;
  const written = Object.entries(t.columns).filter(
    ([key, c]) => key !== "updatedAt" && c.name !== version,
  );
  // Each column's value, read straight from the record (one object per row, keyed by column).
  const cells = written.map(([key, c]): [string, (state: RecordState) => unknown] => {
    if (key === "id") return [c.name, (state) => state.id];
    if (key === "clocks") return [c.name, (state) => state.clocks];
    if (key === "deleted") return [c.name, (state) => state.deleted];
    return [c.name, (state) => state.fields[key] ?? null];
  });
  const rows = writes.map(({ state, k }) => {
    const row: Record<string, unknown> = { _version_index: k };
    for (const [name, value] of cells) row[name] = value(state);
    return row;
  });
  const names = written.map(([, c]) => quote(c.name));
  const typed = [
    ...written.map(([, c]) => `${quote(c.name)} ${c.getSQLType()}`),
    "_version_index int",
  ];
  const updates = [...names, quote(version)]
    .filter((name) => name !== quote(column(t, "id").name))
    .map((name) => `${name} = excluded.${name}`);
  updates.push(`${quote(column(t, "updatedAt").name)} = now()`);
  return sql`insert into ${t.table} (${sql.raw([...names, quote(version)].join(", "))}) select ${sql.raw(names.map((n) => `r.${n}`).join(", "))}, versions.a[r._version_index] from versions, jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as r(${sql.raw(typed.join(", "))}) on conflict (${sql.raw(quote(column(t, "id").name))}) do update set ${sql.raw(updates.join(", "))}`;
}
