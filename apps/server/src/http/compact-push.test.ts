import {
  COMPACT_PUSH_CONTENT_TYPE,
  encodeCompactPush,
  type Operation,
  PROTOCOL_VERSION,
  type PushResponse,
} from "@sync/protocol";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createHarness, type Harness, type TestClient } from "../testing/harness.js";
import { availableBackends } from "../testing/test-database.js";

describe.each(availableBackends())("[W4] compact push encoding (%s)", (backend) => {
  let h: Harness;
  let alice: TestClient;

  beforeAll(async () => {
    h = await createHarness(backend);
  });
  afterAll(async () => {
    await h.close();
  });
  beforeEach(async () => {
    await h.reset();
    alice = await h.signup("alice");
  });

  const pushCompact = (client: TestClient, ops: Operation[], type = COMPACT_PUSH_CONTENT_TYPE) =>
    client.fetch("/api/sync/push", {
      method: "POST",
      headers: { ...client.auth, "content-type": type },
      body: encodeCompactPush({
        protocolVersion: PROTOCOL_VERSION,
        clientId: client.clientId,
        ops,
      }),
    });

  it("[W4] a compact push applies every kind, and its JSON replay is all duplicates", async () => {
    const list = alice.createList("Groceries");
    const item = alice.createItem(list.id, "milk");
    const ops = [
      list,
      item,
      alice.op({ entity: "item", id: item.id, kind: "update", fields: { checked: true } }),
      alice.op({ entity: "item", id: item.id, kind: "increment", fields: { qty: 2 } }),
      alice.op({
        entity: "list",
        id: list.id,
        kind: "update",
        fields: { title: "Weekend" },
        base: { title: list.hlc },
      }),
      alice.op({ entity: "item", id: item.id, kind: "delete" }),
      alice.op({ entity: "item", id: item.id, kind: "restore" }),
    ];
    const res = await pushCompact(alice, ops, `${COMPACT_PUSH_CONTENT_TYPE}; v=1`);
    expect(res.status, await res.clone().text()).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    const body = (await res.json()) as PushResponse;
    expect(body.results.map((r) => [r.opId, r.seq, r.status])).toEqual(
      ops.map((o) => [o.opId, o.seq, "applied"]),
    );
    // Same opIds and seqs as the server decoded them: JSON sees them all as already done (P1).
    const replay = await alice.push(...ops);
    expect(replay.results.map((r) => r.status)).toEqual(ops.map(() => "duplicate"));
    const rows = (await alice.pull()).rows;
    expect(rows.find((r) => r.id === item.id)?.fields).toMatchObject({
      text: "milk",
      checked: true,
      qty: 3,
    });
    expect(rows.find((r) => r.id === list.id)?.fields).toMatchObject({ title: "Weekend" });
  });

  it("[W4][P3] per-operation rules answer a compact push as they answer JSON", async () => {
    const bob = await h.signup("bob");
    const batch = (client: TestClient) => {
      const list = client.createList();
      return [
        list,
        client.op({ entity: "list", id: list.id, kind: "update", fields: { nope: 1 } }),
        client.op({ entity: "gadget", id: list.id, kind: "create", fields: {} }),
        client.op({ entity: "item", id: list.id, kind: "update", fields: { text: "x" } }),
        client.op({ entity: "list", id: list.id, kind: "update", fields: { title: "" } }),
      ];
    };
    const outcome = (r: PushResponse["results"][number]) => [r.status, "code" in r ? r.code : ""];
    const res = await pushCompact(alice, batch(alice));
    expect(res.status).toBe(200);
    const compact = ((await res.json()) as PushResponse).results.map(outcome);
    const json = (await bob.push(...batch(bob))).results.map(outcome);
    expect(compact).toEqual(json);
    expect(new Set(compact.map(([, code]) => code)).size).toBeGreaterThan(2);
  });
});
