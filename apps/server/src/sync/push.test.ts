import { hlcWall } from "@sync/clock";
import type { Operation } from "@sync/protocol";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { executeRows } from "../db/rows.js";
import { createHarness, type Harness } from "../testing/harness.js";
import { availableBackends } from "../testing/test-database.js";

describe.each(availableBackends())("push (%s)", (backend) => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness(backend);
  });
  beforeEach(() => h.reset());
  afterAll(() => h.close());

  const counts = async () =>
    executeRows<{ lists: number; items: number; ops: number; v: number }>(
      h.testDb.database.db,
      sql`select (select count(*)::int from lists) as lists, (select count(*)::int from items) as items,
        (select count(*)::int from applied_ops) as ops,
        (select coalesce(max(version), 0)::int from items) as v`,
    );

  it("[P1] a replayed batch changes nothing and answers the original outcomes (counters included)", async () => {
    const alice = await h.signup("alice");
    const list = alice.createList();
    const item = alice.createItem(list.id);
    const inc = alice.op({ entity: "item", id: item.id, kind: "increment", fields: { qty: 2 } });
    const bad = alice.op({ entity: "item", id: item.id, kind: "update", fields: { text: "" } });
    const batch = [list, item, inc, bad];
    const first = await alice.push(...batch);
    expect(first.results.map((r) => r.status)).toEqual([
      "applied",
      "applied",
      "applied",
      "rejected",
    ]);
    const before = await counts();
    const pulledBefore = await alice.pull();

    const second = await alice.push(...batch);
    expect(second.results.map((r) => r.status)).toEqual([
      "duplicate",
      "duplicate",
      "duplicate",
      "duplicate",
    ]);
    expect(second.results.map((r) => (r.status === "duplicate" ? r.original : null))).toEqual([
      "applied",
      "applied",
      "applied",
      "rejected",
    ]);
    const dupBad = second.results[3];
    const firstBad = first.results[3];
    expect(dupBad?.status === "duplicate" && dupBad.code).toBe(
      firstBad?.status === "rejected" && firstBad.code,
    );
    const dupInc = second.results[2];
    expect(dupInc?.status === "duplicate" && dupInc.row?.fields.qty).toBe(3);
    expect(await counts()).toEqual(before);
    expect((await alice.pull()).rows).toEqual(pulledBefore.rows);
  });

  it("[P1] an already-recorded seq with a new opId is a duplicate and changes nothing", async () => {
    const alice = await h.signup("alice");
    const list = alice.createList();
    await alice.push(list);
    const before = await counts();
    const again = { ...alice.createList("Other"), seq: list.seq };
    const res = await alice.push(again);
    // The answer carries the record the seq first wrote, not the one the new op names.
    expect(res.results[0]).toMatchObject({
      status: "duplicate",
      original: "applied",
      row: { id: list.id },
    });
    expect(await counts()).toEqual(before);
  });

  it("[P2] operations apply in client order within and across pushes", async () => {
    const alice = await h.signup("alice");
    const list = alice.createList();
    const item = alice.createItem(list.id, "a");
    const u1 = alice.op({ entity: "item", id: item.id, kind: "update", fields: { text: "b" } });
    const u2 = alice.op({ entity: "item", id: item.id, kind: "update", fields: { text: "c" } });
    await alice.push(list, item, u1);
    await alice.push(u2);
    // A late delivery of an older, never-recorded seq may not reorder history.
    const late: Operation = {
      ...alice.op({ entity: "item", id: item.id, kind: "update", fields: { text: "late" } }),
      seq: 1,
    };
    const lateRes = await alice.push({ ...late, seq: u1.seq - 1, opId: late.opId });
    expect(lateRes.results[0]?.status).toBe("duplicate");
    const rows = (await alice.pull()).rows.filter((r) => r.entity === "item");
    expect(rows[0]?.fields.text).toBe("c");
  });

  it("[P2] a seq below the client's high-water mark that was never recorded is refused", async () => {
    const alice = await h.signup("alice");
    const list = alice.createList();
    alice.seq = 10;
    const item = alice.createItem(list.id);
    await alice.push(list, item);
    const stray = { ...alice.createItem(list.id, "stray"), seq: 5 };
    const res = await alice.push(stray);
    expect(res.results[0]).toMatchObject({ status: "rejected", code: "CONFLICT" });
    const again = await alice.push(stray);
    expect(again.results[0]).toMatchObject({
      status: "duplicate",
      original: "rejected",
      code: "CONFLICT",
    });
  });

  it("[P3] a rejected operation in the middle of a batch fails neither neighbour", async () => {
    const alice = await h.signup("alice");
    const list = alice.createList();
    const a = alice.createItem(list.id, "a");
    const bad = alice.op({ entity: "item", id: a.id, kind: "update", fields: { nope: 1 } });
    const b = alice.createItem(list.id, "b");
    const res = await alice.push(list, a, bad, b);
    expect(res.results.map((r) => r.status)).toEqual(["applied", "applied", "rejected", "applied"]);
    expect(res.results[2]).toMatchObject({ code: "UNKNOWN_FIELD" });
    const texts = (await alice.pull()).rows
      .filter((r) => r.entity === "item")
      .map((r) => r.fields.text);
    expect(texts.sort()).toEqual(["a", "b"]);
  });

  it("[P3] rejections name their reason: unknown entity, server-owned entity, missing record, read-only field", async () => {
    const alice = await h.signup("alice");
    const list = alice.createList();
    const res = await alice.push(
      list,
      alice.op({ entity: "widget", id: crypto.randomUUID(), kind: "create" }),
      alice.op({ entity: "membership", id: crypto.randomUUID(), kind: "create" }),
      alice.op({ entity: "item", id: crypto.randomUUID(), kind: "update", fields: { text: "x" } }),
      alice.op({
        entity: "list",
        id: list.id,
        kind: "update",
        fields: { inviteCode: "AAAAAAAAAA" },
      }),
    );
    expect(res.results.map((r) => (r.status === "rejected" ? r.code : r.status))).toEqual([
      "applied",
      "UNKNOWN_ENTITY",
      "SERVER_OWNED",
      "NOT_A_MEMBER",
      "READ_ONLY_FIELD",
    ]);
  });

  it("[P4] the response carries server-assigned values, serverTime and the cursor", async () => {
    const alice = await h.signup("alice");
    const list = alice.createList();
    const res = await alice.push(list);
    const r = res.results[0];
    expect(r?.status).toBe("applied");
    if (r?.status !== "applied") return;
    expect(r.row.fields.inviteCode).toMatch(/^[A-Z0-9]{10}$/);
    expect(r.row.fields.createdBy).toBe(alice.userId);
    expect(typeof r.row.fields.createdAt).toBe("number");
    expect(res.cursor).toBeGreaterThanOrEqual(r.row.version);
    expect(Math.abs(res.serverTime - Date.now())).toBeLessThan(60_000);
  });

  it("[M4] concurrent counter increments from two members add up exactly once each", async () => {
    const alice = await h.signup("alice");
    const bob = await h.signup("bob");
    const list = alice.createList();
    const item = alice.createItem(list.id);
    const created = await alice.push(list, item);
    const code =
      created.results[0]?.status === "applied"
        ? String(created.results[0].row.fields.inviteCode)
        : "";
    expect((await bob.join(code)).status).toBe(200);
    const incA = alice.op({ entity: "item", id: item.id, kind: "increment", fields: { qty: 2 } });
    const incB = bob.op({ entity: "item", id: item.id, kind: "increment", fields: { qty: 5 } });
    await Promise.all([alice.push(incA), bob.push(incB)]);
    await Promise.all([alice.push(incA), bob.push(incB)]);
    const row = (await alice.pull()).rows.find((r) => r.id === item.id);
    expect(row?.fields.qty).toBe(8);
  });

  it("[M3] a concurrent rename of an ask field keeps the server value and returns a conflict", async () => {
    const alice = await h.signup("alice");
    const list = alice.createList("One");
    await alice.push(list);
    const pulled = (await alice.pull()).rows.find((r) => r.id === list.id);
    const seen = pulled?.clocks.title ?? "";
    await alice.push(
      alice.op({
        entity: "list",
        id: list.id,
        kind: "update",
        fields: { title: "Two" },
        base: { title: seen },
      }),
    );
    const stale = await alice.push(
      alice.op({
        entity: "list",
        id: list.id,
        kind: "update",
        fields: { title: "Three" },
        base: { title: seen },
      }),
    );
    const r = stale.results[0];
    expect(r?.status === "applied" && r.conflicts?.[0]).toMatchObject({
      field: "title",
      serverValue: "Two",
      clientValue: "Three",
    });
    expect(r?.status === "applied" && r.row.fields.title).toBe("Two");
  });

  it("[K1] a clock far in the future is re-stamped and cannot win later writes", async () => {
    const alice = await h.signup("alice");
    const bob = await h.signup("bob");
    const list = alice.createList();
    const item = alice.createItem(list.id, "a");
    const created = await alice.push(list, item);
    const code =
      created.results[0]?.status === "applied"
        ? String(created.results[0].row.fields.inviteCode)
        : "";
    await bob.join(code);
    const skewed = new (alice.clock.constructor as typeof import("@sync/clock").HybridClock)({
      node: "skewedclock",
      now: () => Date.now() + 365 * 24 * 3600_000,
    });
    const future = alice.op({
      entity: "item",
      id: item.id,
      kind: "update",
      fields: { text: "future" },
      hlc: skewed.now(),
    });
    const res = await alice.push(future);
    const r = res.results[0];
    expect(r?.status).toBe("applied");
    if (r?.status !== "applied") return;
    expect(r.restampedHlc).toBeDefined();
    expect(hlcWall(r.restampedHlc ?? "")).toBeLessThan(Date.now() + 60_000);
    expect(r.row.clocks.text).toBe(r.restampedHlc);
    // Bob writes after, with an honest clock a little ahead: his write wins.
    const honest = new (alice.clock.constructor as typeof import("@sync/clock").HybridClock)({
      node: "honestclock",
      now: () => Date.now() + 1_000,
    });
    const later = bob.op({
      entity: "item",
      id: item.id,
      kind: "update",
      fields: { text: "later" },
      hlc: honest.now(),
    });
    const res2 = await bob.push(later);
    expect(res2.results[0]?.status === "applied" && res2.results[0].row.fields.text).toBe("later");
  });

  it("[P5] shutdown lets an in-flight push commit and refuses new ones with 503", async () => {
    let reached = () => {};
    let release = () => {};
    const arrived = new Promise<void>((resolve) => {
      reached = resolve;
    });
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    await h.reset({
      hooks: {
        beforeCommit: async () => {
          reached();
          await released;
        },
      },
    });
    const alice = await h.signup("alice");
    const inFlight = alice.push(alice.createList());
    await arrived;
    const closing = h.server.close();
    const late = alice.pushRaw([alice.createList("late")]);
    release();
    const [done, refused] = await Promise.all([inFlight, late]);
    await closing;
    expect(done.results[0]?.status).toBe("applied");
    expect(refused.status).toBe(503);
    expect(await refused.json()).toMatchObject({ error: { code: "UNAVAILABLE" } });
    expect(refused.headers.get("retry-after")).toBe("1");
  });
});
