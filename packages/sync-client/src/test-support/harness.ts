import { shoppingSchema } from "@sync/entities";
import { afterEach } from "vitest";
import { createMemoryLeaderElection } from "../leader.js";
import type { KeyValueStorage } from "../storage-durability.js";
import { createSyncClient } from "../sync-client.js";
import type { Leader, SyncClient, SyncClientOptions } from "../types.js";
import { createFakeServer, switchableFetch } from "./fake-server.js";
import { waitFor } from "./wait-for.js";

let counter = 0;

/** A fresh database name per test, so tests never share state through fake-indexeddb. */
export function freshDbName(prefix = "test"): string {
  counter++;
  return `${prefix}-${process.pid}-${counter}-${Math.random().toString(36).slice(2)}`;
}

export function memoryKeyValue(): KeyValueStorage & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return {
    data,
    getItem: (key) => data.get(key) ?? null,
    setItem: (key, value) => {
      data.set(key, value);
    },
  };
}

/** Defaults for Node tests: no stream, no global channel, one leader per database. */
export function testClient(
  options: Partial<SyncClientOptions> & Pick<SyncClientOptions, "fetch" | "dbName">,
): SyncClient {
  return createSyncClient({
    baseUrl: "http://fake.test",
    schema: shoppingSchema,
    eventSource: null,
    channel: null,
    storageManager: null,
    keyValueStorage: null,
    pollIntervalMs: 60_000,
    backoff: { baseMs: 5, maxMs: 20 },
    leader: createMemoryLeaderElection().leader(),
    ...options,
  });
}

export function sharedLeader(): () => Leader {
  const election = createMemoryLeaderElection();
  return () => election.leader();
}

/** True once the client has nothing pending and its last sync succeeded. */
export const idle = (client: SyncClient) => (): boolean =>
  client.getStatus().pendingCount === 0 && client.getStatus().state === "synced";

type StartOptions = Partial<SyncClientOptions> & Pick<SyncClientOptions, "fetch" | "dbName">;

/**
 * A `started(options)` for one test file: each client it starts (optionally waiting until it
 * leads) is stopped after the test that started it (stop() is idempotent, so a test may stop
 * one earlier).
 */
export function startedClients(
  options: { awaitLeader?: boolean } = {},
): (client: StartOptions) => Promise<SyncClient> {
  const clients: SyncClient[] = [];
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.stop()));
  });
  return async (clientOptions) => {
    const client = testClient(clientOptions);
    clients.push(client);
    await client.start();
    if (options.awaitLeader) await waitFor(() => client.getStatus().leader, "leadership");
    return client;
  };
}

/**
 * Two devices rename the same list while one of them is offline, so that device ends with one
 * stored "ask" conflict: its own title against the other's, which the server kept.
 */
export async function conflictingRenames(
  started: (client: StartOptions) => Promise<SyncClient>,
  titles: { readonly original: string; readonly mine: string; readonly theirs: string },
) {
  const server = createFakeServer(shoppingSchema);
  const netA = switchableFetch(server.fetch);
  const a = await started({ fetch: netA.fetch, dbName: freshDbName("a") });
  const b = await started({ fetch: server.fetch, dbName: freshDbName("b") });
  const listId = await a.create("list", { title: titles.original });
  await waitFor(idle(a), "a synced");
  await b.syncNow();
  await waitFor(() => b.get("list", listId) !== undefined, "b sees it");
  netA.setOffline(true);
  await a.update("list", listId, { title: titles.mine });
  await b.update("list", listId, { title: titles.theirs });
  await waitFor(idle(b), "b synced");
  netA.setOffline(false);
  await a.syncNow();
  await waitFor(() => a.conflicts().length === 1, "conflict stored");
  return { server, a, b, listId };
}
