import "fake-indexeddb/auto";
import { startTestServer, type TestServer } from "@sync/server/testing";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type Device, device } from "./test-support/real-server.js";
import { waitFor } from "./test-support/wait-for.js";
import type { SyncClient } from "./types.js";

// Against the real server: a database's session turns into another user's (another tab of the
// browser signed in as someone else; the cookie is shared).
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
}, 60_000);
afterAll(async () => {
  await server?.close();
});

const running: SyncClient[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((c) => c.stop()));
});

async function open(d: Device): Promise<Device> {
  running.push(d.client);
  await d.client.start();
  await waitFor(() => d.client.getStatus().leader, "leadership");
  return d;
}

const idle = (c: SyncClient) => () =>
  c.getStatus().pendingCount === 0 && c.getStatus().state === "synced";
const T = 20_000;

describe("a session of another user", () => {
  it("[L11][L21] CLIENT_MISMATCH (the session is another user's) stops as signed-out and dead-letters nothing", async () => {
    const alice = await server.signup();
    const bob = await server.signup();
    const d = await open(device(server, alice));
    await d.client.create("list", { title: "Alice's" });
    await waitFor(idle(d.client), "the client id is Alice's", T);

    d.setToken(bob.token);
    const listId = await d.client.create("list", { title: "Written while Bob's session" });
    await waitFor(() => d.client.getStatus().state === "signed-out", "signed-out", T);
    expect(d.client.getStatus()).toMatchObject({ pendingCount: 1, deadLetterCount: 0 });
    expect(await d.client.deadLetters()).toEqual([]);

    d.setToken(alice.token);
    await d.client.resumeAfterSignIn();
    await waitFor(idle(d.client), "drained", T);
    const other = await open(device(server, alice));
    await waitFor(() => other.client.get("list", listId) !== undefined, "on the server", T);
  }, 30_000);
});
