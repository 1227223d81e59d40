import "fake-indexeddb/auto";
import { describe, expect, it } from "vitest";
import { idle } from "./test-support/harness.js";
import { device, realServerSuite, SYNC_WAIT_MS } from "./test-support/real-server.js";
import { waitFor } from "./test-support/wait-for.js";

// Against the real server: a database's session turns into another user's (another tab of the
// browser signed in as someone else; the cookie is shared).
const suite = realServerSuite();
const { open } = suite;

const T = SYNC_WAIT_MS;

describe("a session of another user", () => {
  it("[L11][L21] CLIENT_MISMATCH (the session is another user's) stops as signed-out and dead-letters nothing", async () => {
    const alice = await suite.server.signup();
    const bob = await suite.server.signup();
    const d = await open(device(suite.server, alice));
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
    const other = await open(device(suite.server, alice));
    await waitFor(() => other.client.get("list", listId) !== undefined, "on the server", T);
  }, 30_000);
});
