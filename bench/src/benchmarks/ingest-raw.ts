import type { Operation } from "@sync/protocol";
import type postgres from "postgres";
import { chunk } from "../op-factory.js";

/** The server's items table, column for column, with its indexes. */
const SCHEMA = `
create sequence raw_version_seq;
create table raw_items (
  id uuid primary key,
  clocks jsonb not null,
  deleted boolean not null default false,
  version bigint not null default nextval('raw_version_seq'),
  updated_at timestamptz not null default now(),
  list_id uuid not null,
  text text not null,
  checked boolean not null,
  qty integer not null,
  created_by uuid not null,
  created_at bigint not null
);
create index raw_items_version_idx on raw_items (version);
create index raw_items_list_id_idx on raw_items (list_id);
`;

export async function createRawTable(sql: postgres.Sql): Promise<void> {
  await sql.unsafe(SCHEMA);
}

/**
 * The ceiling: a multi-row LWW upsert of the same item rows, `batch` per statement, with
 * no validation, auth, deduplication log or merge.
 */
export async function rawUpsert(
  sql: postgres.Sql,
  ops: readonly Operation[],
  userId: string,
  batch: number,
): Promise<void> {
  for (const part of chunk(ops, batch)) {
    const rows = part.map((op) => ({
      id: op.id,
      clocks: { text: op.hlc, checked: op.hlc },
      list_id: String(op.fields.listId),
      text: String(op.fields.text),
      checked: false,
      qty: 1,
      created_by: userId,
      created_at: Date.now(),
    }));
    await sql`
      insert into raw_items ${sql(rows.map((r) => ({ ...r, clocks: sql.json(r.clocks) })))}
      on conflict (id) do update set
        text = excluded.text, checked = excluded.checked, clocks = excluded.clocks,
        version = nextval('raw_version_seq'), updated_at = now()
      where excluded.clocks->>'text' > raw_items.clocks->>'text'`;
  }
}
