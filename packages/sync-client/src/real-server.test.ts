import "fake-indexeddb/auto";
import { describe, expect, it } from "vitest";
import { fetchEventSource } from "./fetch-event-source.js";
import { openIdbLocalStore } from "./idb/idb-local-store.js";
import { createMemoryLeaderElection } from "./leader.js";
import { device, post, realServerSuite } from "./test-support/real-server.js";
import { waitFor } from "./test-support/wait-for.js";
import type { SyncClient } from "./types.js";

// Integration tests against the real server (Hono + PGlite), over real HTTP.
const suite = realServerSuite({ config: { tombstoneRetentionMs: 0 } });
const { running } = suite;
const { open } = suite;
const { close } = suite;

const idle = (c: SyncClient) => () =>
  c.getStatus().pendingCount === 0 && c.getStatus().state === "synced";

const T = 20_000;

describe("against the real server", () => {
  it("[L3] a reload keeps pending work, which then reaches another device of the same user", async () => {
    const me = await suite.server.signup();
    const phone = await open(device(suite.server, me));
    phone.setOffline(true);
    const listId = await phone.client.create("list", { title: "Weekend" });
    const itemId = await phone.client.create("item", { listId, text: "Bread" });
    await phone.client.increment("item", itemId, "qty", 2);
    await close(phone);

    const reloaded = await open(device(suite.server, me, { dbName: phone.dbName }));
    expect(reloaded.client.get("item", itemId)).toMatchObject({
      pending: true,
      fields: { qty: 3 },
    });
    await waitFor(idle(reloaded.client), "reloaded device synced", T);

    const laptop = await open(device(suite.server, me));
    await waitFor(() => laptop.client.get("item", itemId)?.fields.qty === 3, "laptop sees it", T);
    expect(laptop.client.get("list", listId)?.fields).toMatchObject({ title: "Weekend" });
    expect(typeof laptop.client.get("list", listId)?.fields.inviteCode).toBe("string");
  }, 30_000);

  it("[L20][S5] a change reaches another device as rows on the stream, without a pull", async () => {
    const me = await suite.server.signup();
    const phone = await open(device(suite.server, me));
    const pulls: string[] = [];
    const counting: typeof fetch = (input, init) => {
      if (String(input).includes("/api/sync/pull")) pulls.push(String(input));
      return fetch(input, init);
    };
    const headers = () => ({ authorization: `Bearer ${me.token}` });
    const laptop = await open(
      device(suite.server, me, {
        fetch: counting,
        eventSource: fetchEventSource(counting, headers),
      }),
    );
    const listId = await phone.client.create("list", { title: "Stream" });
    const itemId = await phone.client.create("item", { listId, text: "v0" });
    await waitFor(() => laptop.client.get("item", itemId)?.fields.text === "v0", "laptop", T);
    await waitFor(idle(laptop.client), "laptop's pulls done", T);

    const before = pulls.length;
    for (const text of ["v1", "v2", "v3"]) {
      await phone.client.update("item", itemId, { text });
      await waitFor(() => laptop.client.get("item", itemId)?.fields.text === text, text, T);
    }
    // Each change came as rows the stream vouched for: the laptop never had to ask.
    expect(pulls.length).toBe(before);
  }, 30_000);

  it("[L2][L4][L8] two devices converge after concurrent offline edits; +2 and +3 make +5", async () => {
    const alice = await suite.server.signup();
    const bob = await suite.server.signup();
    const a = await open(device(suite.server, alice));
    const listId = await a.client.create("list", { title: "Party" });
    const itemId = await a.client.create("item", { listId, text: "Chips" });
    await waitFor(idle(a.client), "a synced", T);
    const code = a.client.get("list", listId)?.fields.inviteCode;
    const joined = await post(suite.server, bob, "/api/lists/join", { code });
    expect(joined.status).toBe(200);
    const b = await open(device(suite.server, bob));
    await waitFor(() => b.client.get("item", itemId) !== undefined, "bob sees the item", T);

    a.setOffline(true);
    b.setOffline(true);
    await a.client.increment("item", itemId, "qty", 2);
    await b.client.increment("item", itemId, "qty", 3);
    await a.client.update("item", itemId, { text: "Salted chips" });
    await b.client.update("item", itemId, { checked: true });
    a.setOffline(false);
    b.setOffline(false);
    await a.client.syncNow();
    await b.client.syncNow();
    // Pokes over the stream bring each other's changes; no manual pull needed.
    const expected = { qty: 6, text: "Salted chips", checked: true };
    for (const c of [a.client, b.client]) {
      await waitFor(
        () =>
          idle(c)() &&
          JSON.stringify(pick(c.get("item", itemId)?.fields)) === JSON.stringify(expected),
        "convergence",
        T,
      );
    }
    expect(a.client.get("item", itemId)).toEqual(b.client.get("item", itemId));
  }, 30_000);

  it("[L9] a rename saved over a title someone changed while the box was open is a conflict, not an overwrite", async () => {
    const me = await suite.server.signup();
    const phone = await open(device(suite.server, me));
    const listId = await phone.client.create("list", { title: "Groceries" });
    await waitFor(idle(phone.client), "phone synced", T);
    const laptop = await open(device(suite.server, me));
    await waitFor(() => laptop.client.get("list", listId) !== undefined, "laptop sees it", T);

    // The laptop's rename box opens on "Groceries"; the phone renames meanwhile and the
    // laptop's view takes that in before the person presses Enter.
    const seen = laptop.client.editBase("list", listId);
    await phone.client.update("list", listId, { title: "Shopping" });
    await waitFor(
      () => laptop.client.get("list", listId)?.fields.title === "Shopping",
      "pulled",
      T,
    );
    await laptop.client.update("list", listId, { title: "Food" }, seen ? { seen } : {});
    await waitFor(() => laptop.client.conflicts().length === 1, "conflict on the laptop", T);

    expect(laptop.client.conflicts()[0]).toMatchObject({
      field: "title",
      serverValue: "Shopping",
      clientValue: "Food",
    });
    await waitFor(idle(laptop.client), "laptop settled", T);
    expect(laptop.client.get("list", listId)?.fields.title).toBe("Shopping");
    expect(phone.client.get("list", listId)?.fields.title).toBe("Shopping");
  }, 30_000);

  it("an edit base of another record is refused and queues nothing", async () => {
    const me = await suite.server.signup();
    const phone = await open(device(suite.server, me));
    const one = await phone.client.create("list", { title: "One" });
    const two = await phone.client.create("list", { title: "Two" });
    const pending = phone.client.getStatus().pendingCount;
    const seen = phone.client.editBase("list", one);
    await expect(
      phone.client.update("list", two, { title: "Three" }, seen ? { seen } : {}),
    ).rejects.toMatchObject({ code: "VALIDATION" });
    expect(phone.client.getStatus().pendingCount).toBe(pending);
    expect(phone.client.get("list", two)?.fields.title).toBe("Two");
  });

  it("[L23] a pulled row that already holds a pending increment (its answer was lost) counts it once, also after a reload", async () => {
    const me = await suite.server.signup();
    let loseAnswers = false;
    let lost = 0;
    const lossy: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      if (loseAnswers && String(input).includes("/api/sync/push")) {
        lost++;
        throw new TypeError("Failed to fetch");
      }
      return response;
    };
    const phone = await open(device(suite.server, me, { fetch: lossy }));
    const listId = await phone.client.create("list", { title: "Lost answers" });
    const itemId = await phone.client.create("item", { listId, text: "Eggs" });
    await waitFor(idle(phone.client), "synced", T);

    loseAnswers = true;
    await phone.client.increment("item", itemId, "qty", 2);
    await waitFor(() => lost > 0, "applied by the server, its answer lost", T);
    await phone.client.syncNow();
    // The server holds 3, as every replica will; the increment is still queued here.
    expect(phone.client.get("item", itemId)?.fields.qty).toBe(3);
    expect(phone.client.getStatus().pendingCount).toBe(1);

    await close(phone);
    const offline = device(suite.server, me, { dbName: phone.dbName });
    offline.setOffline(true);
    const reloaded = await open(offline);
    expect(reloaded.client.get("item", itemId)?.fields.qty).toBe(3);
    offline.setOffline(false);
    await waitFor(idle(reloaded.client), "the retried push answered duplicate", T);
    expect(reloaded.client.get("item", itemId)?.fields.qty).toBe(3);
  }, 30_000);

  it("[L23][L20] the same lost answer, healed by the stream's rows alone: no pull, counted once", async () => {
    const me = await suite.server.signup();
    let loseAnswers = false;
    let lost = 0;
    let pulls = 0;
    const lossy: typeof fetch = async (input, init) => {
      if (String(input).includes("/api/sync/pull")) pulls++;
      const response = await fetch(input, init);
      if (loseAnswers && String(input).includes("/api/sync/push")) {
        lost++;
        throw new TypeError("Failed to fetch");
      }
      return response;
    };
    const headers = () => ({ authorization: `Bearer ${me.token}` });
    const phone = await open(
      device(suite.server, me, { fetch: lossy, eventSource: fetchEventSource(lossy, headers) }),
    );
    const listId = await phone.client.create("list", { title: "Lost answers" });
    const itemId = await phone.client.create("item", { listId, text: "Eggs" });
    await waitFor(idle(phone.client), "synced", T);
    const cursor = () => phone.client.getStatus().lastSyncedAt;
    const pullsBefore = pulls;
    const syncedBefore = cursor();

    loseAnswers = true;
    await phone.client.increment("item", itemId, "qty", 2);
    await waitFor(() => lost > 0, "applied by the server, its answer lost", T);
    // The stream brings the pushed row with this client's lastSeq: applied without a pull.
    await waitFor(() => cursor() !== syncedBefore, "the stream's rows applied", T);
    expect(phone.client.get("item", itemId)?.fields.qty).toBe(3);
    expect(pulls).toBe(pullsBefore);
  }, 30_000);

  it("[L2][L7] a create the server refuses disappears with its queued edits, in one notice", async () => {
    const alice = await suite.server.signup();
    const mallory = await suite.server.signup();
    const a = await open(device(suite.server, alice));
    const listId = await a.client.create("list", { title: "Private" });
    await waitFor(idle(a.client), "a synced", T);

    const m = await open(device(suite.server, mallory, { pushBatchSize: 1 }));
    m.setOffline(true);
    const intruder = await m.client.create("item", { listId, text: "Spam" });
    await m.client.update("item", intruder, { text: "More spam" });
    await m.client.increment("item", intruder, "qty", 5);
    expect(m.client.get("item", intruder)?.fields.qty).toBe(6);
    m.setOffline(false);
    await m.client.syncNow();
    await waitFor(() => m.client.getStatus().deadLetterCount === 3, "3 dead letters", T);
    await waitFor(() => m.client.get("item", intruder) === undefined, "rolled back", T);
    const letters = await m.client.deadLetters();
    expect(new Set(letters.map((l) => l.groupId)).size).toBe(1);
    // The notice follows the queue's last move to the dead letters; a pull's lastSeq (L23) may
    // have hidden the refused item a moment before.
    const errors = () => m.client.notices().filter((n) => n.level === "error");
    await waitFor(() => errors().length > 0, "the notice", T);
    expect(errors()).toHaveLength(1);
  }, 30_000);

  it("[L2] a rejected update restores the exact prior view", async () => {
    const alice = await suite.server.signup();
    const bob = await suite.server.signup();
    const a = await open(device(suite.server, alice));
    const listId = await a.client.create("list", { title: "Shared" });
    const itemId = await a.client.create("item", { listId, text: "Tea" });
    await waitFor(idle(a.client), "a synced", T);
    await post(suite.server, bob, "/api/lists/join", {
      code: a.client.get("list", listId)?.fields.inviteCode,
    });
    const b = await open(device(suite.server, bob, { eventSource: null }));
    await waitFor(() => b.client.get("item", itemId) !== undefined, "bob sees the item", T);
    await waitFor(idle(b.client), "b synced", T);
    const before = b.client.get("item", itemId);

    b.setOffline(true);
    await b.client.update("item", itemId, { text: "Coffee", checked: true });
    expect(b.client.get("item", itemId)?.fields.text).toBe("Coffee");
    // Bob leaves the list from another device before his edit arrives: the server refuses it.
    expect((await post(suite.server, bob, `/api/lists/${listId}/leave`)).status).toBe(204);
    b.setOffline(false);
    await b.client.syncNow();
    await waitFor(() => b.client.getStatus().deadLetterCount === 1, "dead letter", T);
    await waitFor(() => b.client.getStatus().pendingCount === 0, "queue empty", T);
    // The queue's counts change first; the view follows once it has re-read the queue.
    await waitFor(() => b.client.get("item", itemId)?.pending === false, "view re-read", T);
    expect(b.client.get("item", itemId)).toEqual(before);
  }, 30_000);

  it("[L11] a 401 pauses sync as signed-out, drops nothing, and resumeAfterSignIn drains", async () => {
    const me = await suite.server.signup();
    const d = await open(device(suite.server, me));
    await waitFor(idle(d.client), "first sync", T);
    d.setToken("not-a-valid-token");
    const listId = await d.client.create("list", { title: "Later" });
    await waitFor(() => d.client.getStatus().state === "signed-out", "signed-out", T);
    expect(d.client.getStatus()).toMatchObject({ pendingCount: 1, deadLetterCount: 0 });
    d.setToken(me.token);
    await d.client.resumeAfterSignIn();
    await waitFor(idle(d.client), "drained", T);
    const other = await open(device(suite.server, me));
    await waitFor(() => other.client.get("list", listId) !== undefined, "on the server", T);
  }, 30_000);

  it("[L10] RESET_REQUIRED after tombstone GC: full resync keeps pending ops, drops vanished rows", async () => {
    const me = await suite.server.signup();
    const a = await open(device(suite.server, me, { eventSource: null }));
    const listId = await a.client.create("list", { title: "GC" });
    const doomed = await a.client.create("item", { listId, text: "Old" });
    const kept = await a.client.create("item", { listId, text: "Keep" });
    await waitFor(idle(a.client), "a synced", T);
    await a.client.syncNow();
    a.setOffline(true);
    await a.client.update("item", kept, { text: "Keep, edited offline" });

    const b = await open(device(suite.server, me, { eventSource: null }));
    await waitFor(() => b.client.get("item", doomed) !== undefined, "b sees it", T);
    await b.client.remove("item", doomed);
    await waitFor(idle(b.client), "tombstone pushed", T);
    await suite.server.runGc();

    a.setOffline(false);
    await a.client.syncNow();
    await waitFor(() => a.client.get("item", doomed) === undefined, "vanished row dropped", T);
    await waitFor(idle(a.client), "a synced again", T);
    expect(a.client.get("item", kept)?.fields.text).toBe("Keep, edited offline");
    await b.client.syncNow();
    await waitFor(() => b.client.get("item", kept)?.fields.text === "Keep, edited offline", "b", T);
  }, 30_000);

  it("[L5] a crash between the acknowledgement and the queue's removal shows no double increment", async () => {
    const me = await suite.server.signup();
    const first = await open(device(suite.server, me));
    const listId = await first.client.create("list", { title: "Counts" });
    const itemId = await first.client.create("item", { listId, text: "Eggs" });
    await waitFor(idle(first.client), "synced", T);
    await close(first);

    let crashed = false;
    const crashing = await open(
      device(suite.server, me, {
        dbName: first.dbName,
        localStore: async (name) => {
          const store = await openIdbLocalStore({ dbName: name });
          const remove = store.queue.remove.bind(store.queue);
          store.queue.remove = async (seqs) => {
            if (seqs.length === 0) return remove(seqs);
            crashed = true;
            throw new Error("crash after the acknowledgement");
          };
          return store;
        },
      }),
    );
    await crashing.client.increment("item", itemId, "qty", 4);
    await waitFor(() => crashed, "the crash", T);
    await close(crashing);

    const reloaded = await open(device(suite.server, me, { dbName: first.dbName }));
    expect(reloaded.client.get("item", itemId)?.fields.qty).toBe(5);
    await waitFor(idle(reloaded.client), "synced", T);
    await reloaded.client.syncNow();
    expect(reloaded.client.get("item", itemId)?.fields.qty).toBe(5);
  }, 30_000);

  it("[L13] leader hand-over between two tabs of one browser", async () => {
    const me = await suite.server.signup();
    const election = createMemoryLeaderElection();
    const channel = (name: string) => new BroadcastChannel(name);
    const tab1 = await open(device(suite.server, me, { leader: election.leader(), channel }));
    const tab2 = device(suite.server, me, {
      dbName: tab1.dbName,
      leader: election.leader(),
      channel,
    });
    running.push(tab2.client);
    await tab2.client.start();
    expect(tab2.client.getStatus().leader).toBe(false);
    const listId = await tab2.client.create("list", { title: "From tab 2" });
    await waitFor(() => tab2.client.get("list", listId)?.pending === false, "pushed by tab 1", T);
    expect(tab1.client.get("list", listId)?.pending).toBe(false);

    await close(tab1);
    await waitFor(() => tab2.client.getStatus().leader, "tab 2 leads", T);
    const itemId = await tab2.client.create("item", { listId, text: "After hand-over" });
    await waitFor(() => tab2.client.get("item", itemId)?.pending === false, "tab 2 pushes", T);
    await waitFor(idle(tab2.client), "synced", T);
  }, 30_000);
  it("[L17] leaving a list drops it and its items from the device; a queued edit is refused as usual", async () => {
    const alice = await suite.server.signup();
    const bob = await suite.server.signup();
    const a = await open(device(suite.server, alice));
    const listId = await a.client.create("list", { title: "Shared" });
    const itemId = await a.client.create("item", { listId, text: "Cheese" });
    await waitFor(idle(a.client), "a synced", T);
    const code = a.client.get("list", listId)?.fields.inviteCode;
    expect((await post(suite.server, bob, "/api/lists/join", { code })).status).toBe(200);
    const b = await open(device(suite.server, bob, { userId: bob.userId }));
    await waitFor(() => b.client.get("item", itemId) !== undefined, "bob sees the item", T);

    b.setOffline(true);
    await b.client.update("item", itemId, { text: "Goat cheese" });
    expect((await post(suite.server, bob, `/api/lists/${listId}/leave`)).status).toBe(204);
    b.setOffline(false);
    await b.client.syncNow();
    await waitFor(() => b.client.get("list", listId) === undefined, "list dropped", T);
    expect(b.client.get("item", itemId)).toBeUndefined();
    expect(b.client.notices().some((n) => /no longer have access/.test(n.message))).toBe(true);
    await waitFor(() => b.client.getStatus().deadLetterCount === 1, "the edit refused", T);
    expect(b.client.get("item", itemId)).toBeUndefined();
    expect(a.client.get("item", itemId)?.fields.text).toBe("Cheese");
  }, 30_000);

  it("[L4] the server names the last writer (changedBy): pending edits keep the confirmed one, the ack and a pull bring the new one", async () => {
    const alice = await suite.server.signup();
    const bob = await suite.server.signup();
    const a = await open(device(suite.server, alice));
    const listId = await a.client.create("list", { title: "Who" });
    const itemId = await a.client.create("item", { listId, text: "Eggs" });
    await waitFor(idle(a.client), "a synced", T);
    expect(a.client.get("item", itemId)?.fields.changedBy).toBe(alice.userId);
    const code = a.client.get("list", listId)?.fields.inviteCode;
    expect((await post(suite.server, bob, "/api/lists/join", { code })).status).toBe(200);
    const b = await open(device(suite.server, bob));
    await waitFor(() => b.client.get("item", itemId) !== undefined, "bob sees the item", T);

    b.setOffline(true);
    await b.client.update("item", itemId, { checked: true });
    // Replaying a pending op never invents server values: the confirmed writer stays.
    expect(b.client.get("item", itemId)?.fields).toMatchObject({
      checked: true,
      changedBy: alice.userId,
    });
    b.setOffline(false);
    await b.client.syncNow();
    await waitFor(idle(b.client), "b synced", T);
    expect(b.client.get("item", itemId)?.fields.changedBy).toBe(bob.userId);

    // A device that starts now gets the row by pull.
    const laptop = await open(device(suite.server, alice));
    await waitFor(() => laptop.client.get("item", itemId) !== undefined, "laptop pulled", T);
    expect(laptop.client.get("item", itemId)?.fields).toMatchObject({
      checked: true,
      changedBy: bob.userId,
    });
    await waitFor(
      () => a.client.get("item", itemId)?.fields.changedBy === bob.userId,
      "alice's open device",
      T,
    );
    expect(a.client.get("item", itemId)?.fields).toEqual(laptop.client.get("item", itemId)?.fields);
  }, 30_000);
});

function pick(fields: Readonly<Record<string, unknown>> | undefined) {
  return fields && { qty: fields.qty, text: fields.text, checked: fields.checked };
}
