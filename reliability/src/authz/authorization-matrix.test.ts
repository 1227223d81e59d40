import type { Operation, PushResponse } from "@sync/protocol";
import { availableBackends, startTestServer, type TestServer } from "@sync/server/testing";
import { v7 as uuidv7 } from "uuid";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RawClient } from "../support/raw-client.js";
import { pullAll } from "../support/server-view.js";
import { SseStream } from "../support/sse.js";

type Role = "member" | "non-member" | "signed-out" | "removed member";
const ROLES: readonly Role[] = ["member", "non-member", "signed-out", "removed member"];

/** A write each role attempts on alice's list; members may, nobody else may. */
const WRITES: readonly [string, (c: RawClient, f: Fixture) => Operation][] = [
  ["create an item", (c, f) => c.createItem(f.listId, "new")],
  [
    "edit an item's text",
    (c, f) => c.op({ entity: "item", id: f.itemId, kind: "update", fields: { text: "edited" } }),
  ],
  [
    "toggle an item",
    (c, f) => c.op({ entity: "item", id: f.itemId, kind: "update", fields: { checked: true } }),
  ],
  [
    "increment an item",
    (c, f) => c.op({ entity: "item", id: f.itemId, kind: "increment", fields: { qty: 1 } }),
  ],
  [
    "delete an item",
    (c, f) => c.op({ entity: "item", id: f.spareItemIds.shift() ?? uuidv7(), kind: "delete" }),
  ],
  [
    "rename the list",
    (c, f) =>
      c.op({
        entity: "list",
        id: f.listId,
        kind: "update",
        fields: { title: `renamed ${c.clientId.slice(-4)}` },
      }),
  ],
  [
    "write a membership row",
    (c, f) =>
      c.op({
        entity: "membership",
        id: uuidv7(),
        kind: "create",
        fields: { listId: f.listId, userId: c.session.userId },
      }),
  ],
];

interface Fixture {
  listId: string;
  itemId: string;
  spareItemIds: string[];
}

describe.each(availableBackends())("authorization matrix (%s)", (backend) => {
  let server: TestServer;
  let alice: RawClient;
  const clients = new Map<Role, RawClient>();
  const fixture: Fixture = { listId: "", itemId: "", spareItemIds: [] };

  beforeAll(async () => {
    server = await startTestServer({ backend });
    alice = new RawClient(server.url, await server.signup());
    const { listId, code } = await alice.newList("Alice's");
    fixture.listId = listId;
    const item = alice.createItem(listId, "milk");
    const spares = Array.from({ length: 4 }, (_, i) => alice.createItem(listId, `spare ${i}`));
    await alice.push(item, ...spares);
    fixture.itemId = item.id;
    fixture.spareItemIds = spares.map((s) => s.id);
    for (const role of ROLES) clients.set(role, new RawClient(server.url, await server.signup()));
    const member = clients.get("member") as RawClient;
    const removed = clients.get("removed member") as RawClient;
    expect((await member.join(code)).status).toBe(200);
    expect((await removed.join(code)).status).toBe(200);
    const left = await fetch(`${server.url}/api/lists/${listId}/leave`, {
      method: "POST",
      headers: removed.auth,
    });
    expect(left.status).toBe(204);
    const gone = clients.get("signed-out") as RawClient;
    const out = await fetch(`${server.url}/api/auth/signout`, {
      method: "POST",
      headers: gone.auth,
    });
    expect(out.status).toBe(204);
  });
  afterAll(async () => {
    await server?.close();
  });

  const allowed = (role: Role) => role === "member";
  const client = (role: Role) => clients.get(role) as RawClient;

  it.each(ROLES)("[A1][G6] %s: pull shows the list's rows only to a member", async (role) => {
    const c = client(role);
    if (role === "signed-out") {
      const res = await fetch(`${server.url}/api/sync/pull?cursor=0`, { headers: c.auth });
      expect(res.status).toBe(401);
      return;
    }
    const rows = (await pullAll(server.url, c.session.token)).rows;
    const ofList = rows.filter(
      (r) => r.id === fixture.listId || r.fields.listId === fixture.listId,
    );
    if (allowed(role)) {
      expect(ofList.some((r) => r.entity === "item" && r.id === fixture.itemId)).toBe(true);
      expect(ofList.some((r) => r.entity === "list")).toBe(true);
    } else {
      // A removed member may learn that its own membership ended (a tombstone), nothing else.
      const leaks = ofList.filter(
        (r) => !(r.entity === "membership" && r.deleted && r.fields.userId === c.session.userId),
      );
      expect(leaks).toEqual([]);
    }
  });

  it.each(ROLES)("[A1][G6] %s: the stream pokes about the list only a member", async (role) => {
    const c = client(role);
    const stream = await SseStream.open(server.url, c.session.token);
    try {
      if (role === "signed-out") {
        expect(stream.status).toBe(401);
        return;
      }
      expect(stream.status).toBe(200);
      await stream.waitFor((p) => p.length >= 1, "the connect poke");
      const seen = stream.pokes().length;
      const change = await alice.push(alice.createItem(fixture.listId, `poke for ${role}`));
      if (allowed(role)) {
        await stream.waitFor((p) => p.slice(seen).includes(change.cursor), "the member's poke");
        return;
      }
      // Pokes arrive in commit order: once the caller's own change pokes, alice's would be there.
      const own = await c.push(c.createList("own"));
      await stream.waitFor((p) => p.slice(seen).includes(own.cursor), "the caller's own poke");
      expect(stream.pokes().slice(seen)).toEqual([own.cursor]);
    } finally {
      stream.close();
    }
  });

  for (const [action, build] of WRITES) {
    it.each(ROLES)(`[A2][G6] %s: ${action}`, async (role) => {
      const c = client(role);
      const before = JSON.stringify(
        (await pullAll(server.url, alice.session.token)).rows.filter(
          (r) => r.entity !== "membership",
        ),
      );
      const op = build(c, fixture);
      const res = await c.pushRaw([op]);
      if (role === "signed-out") {
        expect(res.status).toBe(401);
        expect(await res.json()).toMatchObject({ error: { code: "UNAUTHORIZED" } });
      } else {
        expect(res.status).toBe(200);
        const result = ((await res.json()) as PushResponse).results[0];
        const mayWrite = allowed(role) && action !== "write a membership row";
        expect(result?.status, JSON.stringify(result)).toBe(mayWrite ? "applied" : "rejected");
        if (mayWrite) return;
      }
      const after = JSON.stringify(
        (await pullAll(server.url, alice.session.token)).rows.filter(
          (r) => r.entity !== "membership",
        ),
      );
      expect(after).toBe(before);
    });
  }

  it.each(ROLES)("[A3][G6] %s: leaving the list", async (role) => {
    const c = client(role);
    const res = await fetch(`${server.url}/api/lists/${fixture.listId}/leave`, {
      method: "POST",
      headers: c.auth,
    });
    // The member's leave is the last act of the matrix for that role; it is allowed.
    expect(res.status).toBe(role === "member" ? 204 : role === "signed-out" ? 401 : 403);
  });

  it("[A3][G6] after leaving, a former member's pull from its old cursor carries none of the list's new rows", async () => {
    const c = client("removed member");
    const { cursor } = await pullAll(server.url, c.session.token);
    const secret = alice.createItem(fixture.listId, "after you left");
    await alice.push(secret);
    const res = await fetch(`${server.url}/api/sync/pull?cursor=${cursor}`, { headers: c.auth });
    const page = (await res.json()) as { rows: { id: string }[] };
    expect(page.rows.map((r) => r.id)).not.toContain(secret.id);
    expect(JSON.stringify(page)).not.toContain("after you left");
  });
});
