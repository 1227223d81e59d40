import { shoppingSchema } from "@sync/entities";
import { startTestServer, type TestServer, type TestSession } from "@sync/server/testing";
import { afterAll, afterEach, beforeAll } from "vitest";
import { fetchEventSource } from "../fetch-event-source.js";
import type { SyncClient, SyncClientOptions } from "../types.js";
import { switchableFetch } from "./fake-server.js";
import { freshDbName, testClient } from "./harness.js";
import { waitFor } from "./wait-for.js";

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

/** How long a real-server test waits for sync to settle. */
export const SYNC_WAIT_MS = 20_000;

/**
 * One real server (Hono + PGlite, over real HTTP) for a test file, and the devices a test
 * opens on it, stopped after that test.
 */
export function realServerSuite(options?: Parameters<typeof startTestServer>[0]) {
  let started: TestServer | undefined;
  const running: SyncClient[] = [];
  beforeAll(async () => {
    started = await startTestServer(options);
  }, 60_000);
  afterAll(async () => {
    await started?.close();
  });
  afterEach(async () => {
    await Promise.all(running.splice(0).map((c) => c.stop()));
  });
  return {
    get server(): TestServer {
      if (!started) throw new Error("the real server has not started");
      return started;
    },
    running,
    /** Starts the device's client and waits until it leads the sync. */
    async open(d: Device): Promise<Device> {
      running.push(d.client);
      await d.client.start();
      await waitFor(() => d.client.getStatus().leader, "leadership");
      return d;
    },
    async close(d: Device): Promise<void> {
      running.splice(running.indexOf(d.client), 1);
      await d.client.stop();
    },
  };
}
