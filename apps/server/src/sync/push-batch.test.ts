import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createHarness, type Harness } from "../testing/harness.js";
import { availableBackends } from "../testing/test-database.js";

// A batch is decided in memory against preloaded rows: these pin what earlier ops of the same
// batch mean for later ones.
describe.each(availableBackends())("push batch (%s)", (backend) => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness(backend);
  });
  beforeEach(() => h.reset());
  afterAll(() => h.close());

  it("[P2] writes to one record within a batch each answer their own state with rising versions", async () => {
    const alice = await h.signup("alice");
    const list = alice.createList();
    const item = alice.createItem(list.id, "a");
    const u1 = alice.op({ entity: "item", id: item.id, kind: "update", fields: { text: "b" } });
    const u2 = alice.op({ entity: "item", id: item.id, kind: "update", fields: { text: "c" } });
    const res = await alice.push(list, item, u1, u2);
    const rows = res.results.slice(1).map((r) => (r.status === "applied" ? r.row : undefined));
    expect(rows.map((r) => r?.fields.text)).toEqual(["a", "b", "c"]);
    const versions = rows.map((r) => r?.version ?? 0);
    expect(versions[0]).toBeLessThan(versions[1] ?? 0);
    expect(versions[1]).toBeLessThan(versions[2] ?? 0);
    expect(res.cursor).toBe(versions[2]);
    const pulled = (await alice.pull()).rows.find((r) => r.id === item.id);
    expect(pulled).toMatchObject({ version: versions[2], fields: { text: "c" } });
  });

  it("[P1] an opId repeated within one batch is a duplicate of its first delivery", async () => {
    const alice = await h.signup("alice");
    const list = alice.createList();
    const item = alice.createItem(list.id, "a");
    const rename = alice.op({ entity: "item", id: item.id, kind: "update", fields: { text: "b" } });
    const again = { ...item, seq: rename.seq + 1 };
    const res = await alice.push(list, item, rename, again);
    expect(res.results.map((r) => r.status)).toEqual([
      "applied",
      "applied",
      "applied",
      "duplicate",
    ]);
    // The duplicate carries the record as the batch left it at that point.
    expect(res.results[3]).toMatchObject({ original: "applied", row: { fields: { text: "b" } } });
    const replay = await alice.push(list, item, rename, again);
    expect(replay.results.map((r) => r.status)).toEqual(Array(4).fill("duplicate"));
  });

  it("[A1] a rejected list create leaves no membership for later ops of the batch", async () => {
    const alice = await h.signup("alice");
    const bad = alice.op({ entity: "list", id: crypto.randomUUID(), kind: "create", fields: {} });
    const item = alice.createItem(bad.id, "orphan");
    const res = await alice.push(bad, item);
    expect(res.results[0]?.status).toBe("rejected");
    expect(res.results[1]).toMatchObject({ status: "rejected", code: "NOT_A_MEMBER" });
  });
});
