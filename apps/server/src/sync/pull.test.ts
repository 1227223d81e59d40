import type { PushResponse } from "@sync/protocol";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createHarness, type Harness, type TestClient } from "../testing/harness.js";
import { availableBackends } from "../testing/test-database.js";

const inviteOf = (res: PushResponse) => {
  const r = res.results[0];
  if (r?.status !== "applied") throw new Error("list create failed");
  return String(r.row.fields.inviteCode);
};

describe.each(availableBackends())("pull and membership (%s)", (backend) => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness(backend);
  });
  beforeEach(() => h.reset());
  afterAll(() => h.close());

  async function listWithItems(owner: TestClient, n: number) {
    const list = owner.createList();
    const items = Array.from({ length: n }, (_, i) => owner.createItem(list.id, `item ${i}`));
    const res = await owner.push(list, ...items);
    return { list, items, code: inviteOf(res) };
  }

  it("[C1] pages follow version order with hasMore, and the cursor never skips a row", async () => {
    const alice = await h.signup("alice");
    await listWithItems(alice, 7);
    const all = await alice.pull();
    expect(all.rows).toHaveLength(9); // list, its membership, 7 items
    const versions = all.rows.map((r) => r.version);
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
    const paged = await alice.pullAll(0, 2);
    expect(paged.rows.map((r) => r.id)).toEqual(all.rows.map((r) => r.id));
    expect(paged.cursor).toBe(all.cursor);
    const empty = await alice.pull(all.cursor);
    expect(empty).toMatchObject({ rows: [], cursor: all.cursor, hasMore: false });
  });

  it("[C1] a pull from a cursor returns exactly the rows changed after it", async () => {
    const alice = await h.signup("alice");
    const { items } = await listWithItems(alice, 3);
    const first = await alice.pull();
    const target = items[1];
    if (!target) throw new Error("no item");
    await alice.push(
      alice.op({ entity: "item", id: target.id, kind: "update", fields: { checked: true } }),
    );
    const next = await alice.pull(first.cursor);
    expect(next.rows.map((r) => [r.id, r.fields.checked])).toEqual([[target.id, true]]);
  });

  it("[A1] a non-member can neither pull nor write a list", async () => {
    const alice = await h.signup("alice");
    const mallory = await h.signup("mallory");
    const { list, items } = await listWithItems(alice, 2);
    const target = items[0];
    if (!target) throw new Error("no item");
    expect((await mallory.pull()).rows).toEqual([]);
    const res = await mallory.push(
      mallory.op({ entity: "item", id: target.id, kind: "update", fields: { text: "pwned" } }),
      mallory.op({ entity: "item", id: target.id, kind: "delete" }),
      mallory.op({ entity: "item", id: target.id, kind: "increment", fields: { qty: 5 } }),
      mallory.createItem(list.id, "spam"),
      mallory.op({ entity: "list", id: list.id, kind: "update", fields: { title: "mine" } }),
      mallory.op({ entity: "list", id: list.id, kind: "delete" }),
      // Re-creating an existing list id does not make the caller its member.
      mallory.createList("hijack", list.id),
    );
    expect(res.results.map((r) => (r.status === "rejected" ? r.code : r.status))).toEqual(
      Array(7).fill("NOT_A_MEMBER"),
    );
    const rows = (await alice.pull()).rows;
    expect(rows.find((r) => r.id === target.id)?.fields).toMatchObject({ text: "item 0", qty: 1 });
    expect(rows.find((r) => r.id === list.id)).toMatchObject({
      deleted: false,
      fields: { title: "Groceries" },
    });
    expect(rows.filter((r) => r.entity === "item")).toHaveLength(2);
    expect((await mallory.leave(list.id)).status).toBe(403);
  });

  it("[A1] an item cannot be moved into another list by re-creating it", async () => {
    const alice = await h.signup("alice");
    const { items } = await listWithItems(alice, 1);
    const other = alice.createList("Other");
    await alice.push(other);
    const target = items[0];
    if (!target) throw new Error("no item");
    const res = await alice.push(alice.createItem(other.id, "moved", target.id));
    expect(res.results[0]).toMatchObject({ status: "rejected", code: "CONFLICT" });
  });

  it("[A2][C2] joining by invite code makes the list's existing rows visible past the joiner's cursor", async () => {
    const alice = await h.signup("alice");
    const bob = await h.signup("bob");
    await bob.push(bob.createList("Bob's"));
    const bobFirst = await bob.pull();
    const { list, code } = await listWithItems(alice, 3);
    // Bob's cursor is already past the versions alice's rows were written with.
    const bobLater = await bob.pull(bobFirst.cursor);
    expect(bobLater.rows).toEqual([]);
    expect(bobFirst.cursor).toBeGreaterThan(0);
    const join = await bob.join(code);
    expect(join.status).toBe(200);
    expect(await join.json()).toEqual({ listId: list.id });
    const afterJoin = await bob.pullAll(bobFirst.cursor);
    const entities = afterJoin.rows.map((r) => r.entity).sort();
    expect(entities).toEqual(["item", "item", "item", "list", "membership", "membership"]);
    // Joining twice is harmless.
    expect((await bob.join(code)).status).toBe(200);
    expect((await bob.join("ZZZZZZZZZZ")).status).toBe(404);
  });

  it("[A3] a member who leaves loses the list but learns it from their own membership tombstone", async () => {
    const alice = await h.signup("alice");
    const bob = await h.signup("bob");
    const { list, code, items } = await listWithItems(alice, 1);
    await bob.join(code);
    const synced = await bob.pullAll();
    expect((await bob.leave(list.id)).status).toBe(204);
    const after = await bob.pull(synced.cursor);
    expect(after.rows).toHaveLength(1);
    expect(after.rows[0]).toMatchObject({
      entity: "membership",
      deleted: true,
      fields: { userId: bob.userId },
    });
    const target = items[0];
    if (!target) throw new Error("no item");
    await alice.push(
      alice.op({ entity: "item", id: target.id, kind: "update", fields: { text: "secret" } }),
    );
    expect((await bob.pull(after.cursor)).rows).toEqual([]);
    const write = await bob.push(
      bob.op({ entity: "item", id: target.id, kind: "update", fields: { text: "x" } }),
    );
    expect(write.results[0]).toMatchObject({ status: "rejected", code: "NOT_A_MEMBER" });
    // Rejoining restores access.
    expect((await bob.join(code)).status).toBe(200);
    expect((await bob.pullAll(after.cursor)).rows.some((r) => r.fields.text === "secret")).toBe(
      true,
    );
  });

  it("[A4] a clientId that belongs to another user is refused for the whole push, nothing applied", async () => {
    const alice = await h.signup("alice");
    const mallory = await h.signup("mallory");
    await alice.push(alice.createList());
    mallory.clientId = alice.clientId;
    const before = await alice.pull();
    const res = await mallory.pushRaw([mallory.createList("mine")]);
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ error: { code: "CLIENT_MISMATCH" } });
    expect((await alice.pull()).cursor).toBe(before.cursor);
    expect((await mallory.pull()).rows).toEqual([]);
  });

  const pullAs = async (c: TestClient, query: string) => {
    const res = await c.fetch(`/api/sync/pull?${query}`, { headers: c.auth });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  it("[L23] the last page tells a client how far the server processed it, in the rows' snapshot", async () => {
    const alice = await h.signup("alice");
    const unknown = await pullAs(alice, `clientId=${alice.clientId}`);
    expect(unknown).toMatchObject({ status: 200, body: { hasMore: false, lastSeq: 0 } });
    const list = alice.createList();
    const res = await alice.push(list, alice.createItem(list.id), alice.createItem(list.id));
    const seqs = res.results.map((r) => r.seq);
    const first = await pullAs(alice, `clientId=${alice.clientId}&limit=2`);
    expect(first.body.hasMore).toBe(true);
    expect(first.body).not.toHaveProperty("lastSeq");
    const last = await pullAs(alice, `cursor=${first.body.cursor}&clientId=${alice.clientId}`);
    expect(last.body).toMatchObject({ hasMore: false, lastSeq: Math.max(...seqs) });
    // Without a clientId the answer is as before.
    expect((await alice.pull()).lastSeq).toBeUndefined();
  });

  it("[A4][L23] a pull naming another user's clientId is refused and returns nothing", async () => {
    const alice = await h.signup("alice");
    const mallory = await h.signup("mallory");
    await alice.push(alice.createList());
    await mallory.push(mallory.createList());
    const res = await pullAs(mallory, `clientId=${alice.clientId}`);
    expect(res).toMatchObject({ status: 403, body: { error: { code: "CLIENT_MISMATCH" } } });
    expect(res.body).not.toHaveProperty("rows");
  });
});
