import "fake-indexeddb/auto";
import { shoppingSchema } from "@sync/entities";
import { ErrorCode } from "@sync/protocol";
import { afterEach, describe, expect, it } from "vitest";
import { SyncClientError } from "./errors.js";
import { createFakeServer, switchableFetch } from "./test-support/fake-server.js";
import { freshDbName, testClient } from "./test-support/harness.js";
import { waitFor } from "./test-support/wait-for.js";
import type { SyncClient } from "./types.js";

const clients: SyncClient[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.stop()));
});

function track(client: SyncClient): SyncClient {
  clients.push(client);
  return client;
}

const synced = (client: SyncClient) => () =>
  client.getStatus().pendingCount === 0 && client.getStatus().state === "synced";

async function setup() {
  const server = createFakeServer(shoppingSchema);
  const net = switchableFetch(server.fetch);
  const dbName = freshDbName();
  const client = track(testClient({ fetch: net.fetch, dbName }));
  await client.start();
  await waitFor(() => client.getStatus().leader, "leadership");
  return { server, net, dbName, client };
}

async function listWithItem(client: SyncClient) {
  const listId = await client.create("list", { title: "Groceries" });
  const itemId = await client.create("item", { listId, text: "Milk" });
  return { listId, itemId };
}

describe("writes and the view", () => {
  it("[L1] a write shows in the view at once, pending until the server confirms", async () => {
    const { client, net } = await setup();
    net.setOffline(true);
    const { itemId } = await listWithItem(client);
    expect(client.get("item", itemId)).toMatchObject({
      pending: true,
      fields: { text: "Milk", checked: false, qty: 1 },
    });
    net.setOffline(false);
    await client.syncNow();
    await waitFor(synced(client), "sync");
    const item = client.get("item", itemId);
    expect(item?.pending).toBe(false);
    // L4: server-assigned values arrive with the canonical row.
    expect(typeof item?.fields.createdAt).toBe("number");
  });

  it("[L6] invalid input throws with a code and queues nothing", async () => {
    const { client } = await setup();
    const { listId } = await listWithItem(client);
    await expect(client.create("item", { listId, text: "" })).rejects.toMatchObject({
      code: ErrorCode.VALIDATION,
    });
    await expect(client.update("item", listId, { qty: 3 })).rejects.toBeInstanceOf(SyncClientError);
    await expect(client.update("item", crypto.randomUUID(), { text: "x" })).rejects.toMatchObject({
      code: ErrorCode.NOT_FOUND,
    });
    await expect(client.create("nope", {})).rejects.toMatchObject({
      code: ErrorCode.UNKNOWN_ENTITY,
    });
    await waitFor(synced(client), "sync");
    expect(client.list("item")).toHaveLength(1);
  });

  it("[L3] a reload (new client over the same database) keeps pending work", async () => {
    const { client, net, dbName, server } = await setup();
    net.setOffline(true);
    const { itemId } = await listWithItem(client);
    await client.increment("item", itemId, "qty", 2);
    await client.stop();
    clients.splice(clients.indexOf(client), 1);

    const reloaded = track(testClient({ fetch: net.fetch, dbName }));
    await reloaded.start();
    expect(reloaded.get("item", itemId)?.fields.qty).toBe(3);
    expect(reloaded.getStatus().pendingCount).toBe(3);
    net.setOffline(false);
    await reloaded.syncNow();
    await waitFor(synced(reloaded), "sync after reload");
    expect(server.rows.get(`item/${itemId}`)?.fields.qty).toBe(3);
  });
});

describe("rollback", () => {
  it("[L2] a rejected update restores the exact prior view", async () => {
    const { client, server } = await setup();
    const { itemId } = await listWithItem(client);
    await waitFor(synced(client), "sync");
    const before = client.get("item", itemId);
    server.rejectWhen((op) => (op.kind === "update" ? ErrorCode.FORBIDDEN : undefined));
    await client.update("item", itemId, { text: "Oat milk", checked: true });
    await waitFor(() => client.getStatus().deadLetterCount === 1, "dead letter");
    await waitFor(() => client.get("item", itemId)?.pending === false, "recompute");
    expect(client.get("item", itemId)).toEqual(before);
    expect(client.notices().some((n) => n.level === "error")).toBe(true);
    const [letter] = await client.deadLetters();
    expect(letter).toMatchObject({ kind: "update", code: ErrorCode.FORBIDDEN, recordId: itemId });
  });

  it("[L2] a rejected create disappears; a rejected delete brings the record back", async () => {
    const { client, server } = await setup();
    const { listId, itemId } = await listWithItem(client);
    await waitFor(synced(client), "sync");
    const before = client.get("item", itemId);
    server.rejectWhen((op) =>
      op.kind === "delete" || op.kind === "create" ? ErrorCode.FORBIDDEN : undefined,
    );
    await client.remove("item", itemId);
    expect(client.list("item")).toHaveLength(0);
    const otherId = await client.create("item", { listId, text: "Bread" });
    expect(client.get("item", otherId)).toBeDefined();
    await waitFor(() => client.getStatus().deadLetterCount === 2, "dead letters");
    await waitFor(() => client.get("item", otherId) === undefined, "create rolled back");
    expect(client.get("item", itemId)).toEqual(before);
    expect(client.list("item")).toEqual([before]);
  });
});
