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
});
