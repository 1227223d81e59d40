import { shoppingSchema } from "@sync/entities";
import type { TestServer, TestSession } from "@sync/server/testing";
import { fetchEventSource } from "../fetch-event-source.js";
import type { SyncClient, SyncClientOptions } from "../types.js";
import { switchableFetch } from "./fake-server.js";
import { freshDbName, testClient } from "./harness.js";

/** One "device": a client over its own database, with a network it can lose. */
export interface Device {
  readonly client: SyncClient;
  readonly dbName: string;
  setOffline(offline: boolean): void;
  /** Switch the bearer token (sign in as someone else, or with a revoked token). */
  setToken(token: string): void;
}

export function device(
  server: TestServer,
  session: TestSession,
  options: Partial<SyncClientOptions> = {},
): Device {
  const net = switchableFetch((input, init) => fetch(input, init));
  let token = session.token;
  const headers = () => ({ authorization: `Bearer ${token}` });
  const dbName = options.dbName ?? freshDbName("real");
  const client = testClient({
    baseUrl: server.url,
    schema: shoppingSchema,
    fetch: net.fetch,
    headers,
    dbName,
    eventSource: fetchEventSource(net.fetch, headers),
    ...options,
  });
  return {
    client,
    dbName,
    setOffline: (offline) => net.setOffline(offline),
    setToken: (next) => {
      token = next;
    },
  };
}

export async function post(
  server: TestServer,
  session: TestSession,
  path: string,
  body?: unknown,
): Promise<Response> {
  return fetch(`${server.url}${path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${session.token}`, "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}
