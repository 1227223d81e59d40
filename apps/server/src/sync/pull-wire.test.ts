import { pullResponseSchema, type Row } from "@sync/protocol";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { executeRows } from "../db/rows.js";
import { createHarness, type Harness } from "../testing/harness.js";
import { availableBackends } from "../testing/test-database.js";
import { entityTable, loadRecord, toRow } from "./entity-tables.js";
import { PAGE_PLANNER_SETTINGS, pageQuery } from "./pull-query.js";

interface PlanNode {
  "Node Type": string;
  "Relation Name"?: string;
  "Index Name"?: string;
  "Actual Rows"?: number;
  Plans?: PlanNode[];
}

function nodes(plan: PlanNode): PlanNode[] {
  return [plan, ...(plan.Plans ?? []).flatMap(nodes)];
}

describe.each(availableBackends())("pull page query (%s)", (backend) => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness(backend);
  });
  beforeEach(() => h.reset());
  afterAll(() => h.close());

  it("[C1] the JSON Postgres builds is exactly the stored row, whatever the text holds", async () => {
    const alice = await h.signup("alice");
    const list = alice.createList('Quotes " and \\ backslash');
    const texts = [
      'say "hi"',
      "back\\slash",
      "line\nbreak\ttab",
      "é ü ß 中文 🛒",
      "\u2028 sep",
      "",
    ];
    const items = texts.map((text) => alice.createItem(list.id, text || "x"));
    const note = alice.op({
      entity: "note",
      id: list.id,
      kind: "create",
      fields: { listId: list.id, body: "a note \u0001 with a control char" },
    });
    const res = await alice.push(list, ...items, note);
    expect(res.results.map((r) => r.status)).toEqual(Array(res.results.length).fill("applied"));
    const raw = await (await alice.fetch("/api/sync/pull", { headers: alice.auth })).text();
    const page = pullResponseSchema.parse(JSON.parse(raw));
    expect(page.rows.map((r) => r.entity).sort()).toEqual(
      ["item", "item", "item", "item", "item", "item", "list", "membership", "note"].sort(),
    );
    const db = h.testDb.database.db;
    for (const row of page.rows) {
      const stored = await loadRecord(db, entityTable(row.entity), row.id);
      if (!stored) throw new Error(`${row.entity} ${row.id} not stored`);
      expect(row).toEqual(toRow(stored));
    }
    const byId = new Map(page.rows.map((r): [string, Row] => [r.id, r]));
    expect(items.map((i) => byId.get(i.id)?.fields.text)).toEqual(texts.map((t) => t || "x"));
  });

  it("[C1] a page reads at most limit + 1 rows of a list past the cursor, on its (owner, version) index, even without statistics", async () => {
    const alice = await h.signup("alice");
    const bob = await h.signup("bob");
    const mine = alice.createList();
    const theirs = bob.createList();
    await alice.push(mine);
    await bob.push(theirs);
    const db = h.testDb.database.db;
    // A bulk load the planner has no statistics for yet (autovacuum must not analyze it
    // meanwhile), in a list the caller is not in too.
    await db.execute(sql`alter table items set (autovacuum_enabled = false)`);
    for (const listId of [mine.id, theirs.id]) {
      await db.execute(sql`
        insert into items (id, clocks, deleted, version, list_id, text, checked, qty, created_by, created_at)
        select gen_random_uuid(), '{}'::jsonb, false, nextval('change_version_seq'), ${listId}, 'item ' || g, false, 1, ${alice.userId}, 0
        from generate_series(1, 3000) g`);
    }
    const take = 51;
    const plan = await db.transaction(async (tx) => {
      await tx.execute(PAGE_PLANNER_SETTINGS);
      const query = pageQuery({ userId: alice.userId, cursor: 10, take });
      const [row] = await executeRows<{ "QUERY PLAN": unknown }>(
        tx,
        sql`explain (analyze, format json) ${query}`,
      );
      const json = row?.["QUERY PLAN"];
      const parsed = (typeof json === "string" ? JSON.parse(json) : json) as { Plan: PlanNode }[];
      return parsed[0]?.Plan;
    });
    await db.execute(sql`alter table items reset (autovacuum_enabled)`);
    if (!plan) throw new Error("no plan");
    const scans = nodes(plan).filter((n) => n["Relation Name"] === "items");
    expect(scans.map((n) => n["Node Type"])).toEqual(["Index Scan"]);
    expect(scans[0]?.["Index Name"]).toBe("items_list_id_version_idx");
    expect(scans[0]?.["Actual Rows"]).toBeLessThanOrEqual(take);
  });
});
