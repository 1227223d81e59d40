import { membership } from "@sync/entities";
import { getTableName, type SQL, sql } from "drizzle-orm";
import type { PgColumn } from "drizzle-orm/pg-core";
import { memberships } from "../db/schema/index.js";
import { ENTITY_TABLES, type EntityTable } from "./entity-tables.js";

/**
 * Run first in the page's transaction. Each scan of the page wants index order under a limit;
 * without fresh statistics (just after a bulk load) the planner would rather bitmap-scan every
 * row past the cursor and sort them, which makes a full sync quadratic. An ordered index scan
 * is never worse for a page, so bitmap scans are off for this transaction only.
 */
export const PAGE_PLANNER_SETTINGS = sql`select set_config('enable_bitmapscan', 'off', true)`;

export interface PageQueryParams {
  readonly userId: string;
  readonly cursor: number;
  /** Rows to read: the page limit plus one, to learn `hasMore`. */
  readonly take: number;
}

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;
const literal = (text: string) => `'${text.replaceAll("'", "''")}'`;

function columnOf(t: EntityTable, key: string): PgColumn {
  const c = t.columns[key];
  if (!c) throw new Error(`${t.definition.name} has no column ${key}`);
  return c;
}

/** `t."col"` for a column key of `t`. */
const col = (t: EntityTable, key: string) => `t.${quote(columnOf(t, key).name)}`;

/**
 * The wire Row of one record as JSON text, built by Postgres (row_to_json writes compact JSON,
 * no spaces): Node then only joins strings instead of mapping, re-encoding and stringifying.
 * Non-nullable fields are NOT NULL columns (entity-columns.test.ts), so every field is present,
 * as toRow/toStored would put it. The clocks jsonb goes through json_strip_nulls only to be
 * re-printed compactly (jsonb prints ", " and ": ").
 */
function rowJson(t: EntityTable): string {
  const fields = Object.keys(t.definition.fields)
    .map((name) => `${col(t, name)} as ${quote(name)}`)
    .join(", ");
  const fieldsJson =
    fields === "" ? "'{}'::json" : `(select row_to_json(f) from (select ${fields}) f)`;
  return `(select row_to_json(r)::text from (select ${literal(t.definition.name)} as "entity", ${col(t, "id")} as "id", ${col(t, "version")} as "version", ${fieldsJson} as "fields", json_strip_nulls(${col(t, "clocks")}::json) as "clocks", ${col(t, "deleted")} as "deleted") r)`;
}

/**
 * One branch per entity table, each already in version order and at most `take` rows, so the
 * first `take` rows of their union by version are the page. A scoped table is read per list
 * the caller is a member of, on its (owner, version) index: a keyset range scan that reads at
 * most `take` rows per list whatever the table holds (other lists' rows are never touched).
 * Root records are one primary-key lookup per list.
 */
function branches(params: PageQueryParams): SQL[] {
  const { cursor, take, userId } = params;
  const out: SQL[] = [];
  for (const t of ENTITY_TABLES) {
    const table = sql.raw(quote(getTableName(t.table)));
    const json = sql.raw(rowJson(t));
    const version = sql.raw(col(t, "version"));
    const scope = sql.raw(`t.${quote(t.scope.name)}`);
    if (t.definition.owner.kind === "root") {
      out.push(
        sql`select ${version} as v, ${json} as j from mine join ${table} t on ${scope} = mine.list_id where ${version} > ${cursor}`,
      );
    } else {
      out.push(
        sql`select ${version} as v, ${json} as j from mine cross join lateral (select * from ${table} t where ${scope} = mine.list_id and ${version} > ${cursor} order by ${version} limit ${take}) t`,
      );
    }
    if (t.definition.name === membership.name) {
      // A user always sees their own memberships, tombstones included: that is how a removed
      // member learns it lost the list (A3). Live ones are in the branch above (one per list,
      // memberships_list_user_key), so only the tombstones are added here.
      out.push(
        sql`(select ${version} as v, ${json} as j from ${table} t where t.${sql.raw(quote(memberships.userId.name))} = ${userId} and ${sql.raw(col(t, "deleted"))} and ${version} > ${cursor} order by ${version} limit ${take})`,
      );
    }
  }
  return out;
}

/**
 * The rows of one pull page as (version, JSON text), in version order, at most `take`.
 * Membership is resolved once, in the `mine` CTE, not as a sub-query per row or per table.
 */
export function pageQuery(params: PageQueryParams): SQL {
  const mine = sql`select ${sql.raw(quote(memberships.listId.name))} as list_id from ${memberships} where ${memberships.userId} = ${params.userId} and not ${memberships.deleted}`;
  const union = sql.join(
    branches(params).map((branch) => sql`(${branch})`),
    sql` union all `,
  );
  return sql`with mine as (${mine}) select v, j from (${union}) page order by v limit ${params.take}`;
}
