import { createNodeId, encodeHlc } from "@sync/clock";
import type { PushResponse, Row } from "@sync/protocol";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createHarness, type Harness } from "../testing/harness.js";
import { availableBackends } from "../testing/test-database.js";

const rowOf = (res: PushResponse, index = 0): Row => {
  const r = res.results[index];
  if (r?.status !== "applied") throw new Error(`expected applied, got ${JSON.stringify(r)}`);
  return r.row;
};

// item.changedBy / changedAt come from the definition's serverOnChange: set by the server on
// every op that changes the record, left alone by ops that change nothing.
describe.each(availableBackends())("server values on change (%s)", (backend) => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness(backend);
  });
  beforeEach(() => h.reset());
  afterAll(() => h.close());

  it("[P4] the writer of the last change is on the row; losing, duplicate and rejected ops leave it", async () => {
    const alice = await h.signup("alice");
    const bob = await h.signup("bob");
    const list = alice.createList();
    const item = alice.createItem(list.id);
    const created = await alice.push(list, item);
    const code = String(rowOf(created, 0).fields.inviteCode);
    const atCreate = rowOf(created, 1);
    expect(atCreate.fields).toMatchObject({ createdBy: alice.userId, changedBy: alice.userId });
    expect(atCreate.fields.changedAt).toBe(atCreate.fields.createdAt);
    expect((await bob.join(code)).status).toBe(200);

    // Bob checks it: the push answer and alice's pull both name bob.
    const check = bob.op({
      entity: "item",
      id: item.id,
      kind: "update",
      fields: { checked: true },
    });
    const checked = rowOf(await bob.push(check));
    expect(checked.fields).toMatchObject({ checked: true, changedBy: bob.userId });
    expect(checked.fields.changedAt).toBeGreaterThanOrEqual(Number(atCreate.fields.changedAt));
    const pulled = (await alice.pullAll()).rows.find((r) => r.id === item.id);
    expect(pulled?.fields).toMatchObject({ checked: true, changedBy: bob.userId });

    // Alice renames it: now she is the last writer.
    const rename = alice.op({
      entity: "item",
      id: item.id,
      kind: "update",
      fields: { text: "oat" },
    });
    const renamed = rowOf(await alice.push(rename));
    expect(renamed.fields.changedBy).toBe(alice.userId);

    // Bob's replayed check, his update that loses to newer clocks, and his invalid update
    // change nothing, so alice stays the last writer and no new version is written.
    const stale = bob.op({
      entity: "item",
      id: item.id,
      kind: "update",
      fields: { text: "stale", checked: false },
      hlc: encodeHlc({ wall: Date.now() - 60_000, counter: 0, node: createNodeId() }),
    });
    const invalid = bob.op({ entity: "item", id: item.id, kind: "update", fields: { text: "" } });
    const after = await bob.push(check, stale, invalid);
    expect(after.results.map((r) => r.status)).toEqual(["duplicate", "applied", "rejected"]);
    const lost = rowOf(after, 1);
    expect(lost).toEqual(renamed);
    const final = (await bob.pullAll()).rows.find((r) => r.id === item.id);
    expect(final).toEqual(renamed);
  });

  it("[P4] increments and deletes are changes too", async () => {
    const alice = await h.signup("alice");
    const bob = await h.signup("bob");
    const list = alice.createList();
    const item = alice.createItem(list.id);
    const code = String(rowOf(await alice.push(list, item), 0).fields.inviteCode);
    expect((await bob.join(code)).status).toBe(200);
    const inc = bob.op({ entity: "item", id: item.id, kind: "increment", fields: { qty: 1 } });
    expect(rowOf(await bob.push(inc)).fields).toMatchObject({ qty: 2, changedBy: bob.userId });
    const del = alice.op({ entity: "item", id: item.id, kind: "delete" });
    const deleted = rowOf(await alice.push(del));
    expect(deleted.deleted).toBe(true);
    expect(deleted.fields.changedBy).toBe(alice.userId);
  });
});
