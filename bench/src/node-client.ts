import { shoppingSchema } from "@sync/entities";
import type { TestSession } from "@sync/server/testing";
import {
  alwaysLeader,
  createSyncClient,
  fetchEventSource,
  type SyncClient,
} from "@sync/sync-client";
// idb (inside the sync client) reads IDBRequest and friends from globals.
import "fake-indexeddb/auto";

/** A sync client in Node, over fake-indexeddb, with a network switch. */
export interface NodeClient {
  readonly client: SyncClient;
  setOnline(online: boolean): void;
}

let counter = 0;

export function createNodeClient(
  baseUrl: string,
  session: TestSession,
  options: { stream?: boolean; online?: boolean; fetch?: typeof fetch } = {},
): NodeClient {
  let online = options.online ?? true;
  const inner = options.fetch ?? fetch;
  const net: typeof fetch = (input, init) =>
    online ? inner(input, init) : Promise.reject(new TypeError("Failed to fetch"));
  const headers = () => ({ authorization: `Bearer ${session.token}` });
  const client = createSyncClient({
    baseUrl,
    schema: shoppingSchema,
    dbName: `bench-${process.pid}-${++counter}`,
    fetch: net,
    headers,
    eventSource: options.stream ? fetchEventSource(net, headers) : null,
    channel: null,
    leader: alwaysLeader,
    storageManager: null,
    keyValueStorage: null,
    // Polling is the fallback; with a stream it must not be what delivers the change.
    pollIntervalMs: 600_000,
    isOnline: () => online,
  });
  return {
    client,
    setOnline(value) {
      online = value;
    },
  };
}

/** Resolves when `condition` holds, checked on every view change (no polling, no sleeps). */
export function whenView(
  client: SyncClient,
  condition: () => boolean,
  timeoutMs: number,
  what: string,
): Promise<void> {
  return new Promise((resolve, reject) => {
    if (condition()) return resolve();
    const timer = setTimeout(() => {
      unsubscribe();
      reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
    }, timeoutMs);
    const unsubscribe = client.subscribe(() => {
      if (!condition()) return;
      clearTimeout(timer);
      unsubscribe();
      resolve();
    });
  });
}

/** Resolves when the client's status satisfies `condition`. */
export function whenStatus(
  client: SyncClient,
  condition: (status: ReturnType<SyncClient["getStatus"]>) => boolean,
  timeoutMs: number,
  what: string,
): Promise<void> {
  return new Promise((resolve, reject) => {
    if (condition(client.getStatus())) return resolve();
    const timer = setTimeout(() => {
      unsubscribe();
      reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
    }, timeoutMs);
    const unsubscribe = client.subscribeStatus((status) => {
      if (!condition(status)) return;
      clearTimeout(timer);
      unsubscribe();
      resolve();
    });
  });
}
