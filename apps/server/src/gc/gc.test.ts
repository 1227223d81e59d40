import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createHarness, type Harness } from "../testing/harness.js";
import { availableBackends } from "../testing/test-database.js";

describe.each(availableBackends())("tombstone GC (%s)", (backend) => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness(backend);
  });
  beforeEach(() => h.reset({ config: { tombstoneRetentionMs: 0 } }));
  afterAll(() => h.close());

  it("[G1] GC deletes tombstones past retention and keeps live rows", async () => {
    const alice = await h.signup("alice");
    const list = alice.createList();
    const keep = alice.createItem(list.id, "keep");
    const drop = alice.createItem(list.id, "drop");
    await alice.push(list, keep, drop, alice.op({ entity: "item", id: drop.id, kind: "delete" }));
    const result = await h.server.runGc();
    expect(result.deleted).toBe(1);
    const rows = (await alice.pull()).rows;
    expect(rows.map((r) => r.id)).toContain(keep.id);
    expect(rows.map((r) => r.id)).not.toContain(drop.id);
  });

  it("[G1] tombstones younger than the retention survive GC", async () => {
    await h.reset({ config: { tombstoneRetentionMs: 3_600_000 } });
    const alice = await h.signup("alice");
    const list = alice.createList();
    const drop = alice.createItem(list.id);
    await alice.push(list, drop, alice.op({ entity: "item", id: drop.id, kind: "delete" }));
    expect((await h.server.runGc()).deleted).toBe(0);
    expect((await alice.pull()).rows.find((r) => r.id === drop.id)?.deleted).toBe(true);
  });

  it("[G2] a cursor older than the GC horizon gets 409 RESET_REQUIRED; cursor 0 and newer cursors are fine", async () => {
    const alice = await h.signup("alice");
    const list = alice.createList();
    const drop = alice.createItem(list.id);
    await alice.push(list);
    const early = await alice.pull();
    await alice.push(drop, alice.op({ entity: "item", id: drop.id, kind: "delete" }));
    const late = await alice.pull(early.cursor);
    const { horizon } = await h.server.runGc();
    expect(horizon).toBeGreaterThan(early.cursor);
    const res = await alice.fetch(`/api/sync/pull?cursor=${early.cursor}`, { headers: alice.auth });
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({
      error: { code: "RESET_REQUIRED", details: { horizon } },
    });
    expect((await alice.pull(0)).rows.map((r) => r.entity).sort()).toEqual(["list", "membership"]);
    expect((await alice.pull(late.cursor)).rows).toEqual([]);
  });

  it("[G2][C1] a quiet member's cursor follows the head, so GC of other lists' tombstones never forces a resync", async () => {
    const alice = await h.signup("alice");
    const bob = await h.signup("bob");
    await alice.push(alice.createList("quiet"));
    const before = await alice.pull();
    const busy = bob.createList("busy");
    const drop = bob.createItem(busy.id);
    const last = await bob.push(
      busy,
      drop,
      bob.op({ entity: "item", id: drop.id, kind: "delete" }),
    );
    // Nothing alice may see changed, yet her cursor moves past bob's writes.
    const after = await alice.pull(before.cursor);
    expect(after).toMatchObject({ rows: [], hasMore: false, cursor: last.cursor });
    const { horizon } = await h.server.runGc();
    expect(horizon).toBeGreaterThan(before.cursor);
    expect(await alice.pull(after.cursor)).toMatchObject({ rows: [], cursor: last.cursor });
  });

  it("[C1] a page with more to come ends its cursor at its last row, never at the head", async () => {
    const alice = await h.signup("alice");
    const list = alice.createList();
    await alice.push(list, alice.createItem(list.id, "a"), alice.createItem(list.id, "b"));
    const first = await alice.pull(0, 2);
    expect(first.hasMore).toBe(true);
    expect(first.cursor).toBe(first.rows.at(-1)?.version);
    const rest = await alice.pull(first.cursor, 2);
    expect(rest.rows.length).toBeGreaterThan(0);
  });
});
