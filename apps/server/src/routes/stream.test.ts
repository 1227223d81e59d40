import { changesSchema, type PushResponse } from "@sync/protocol";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createHarness, type Harness, type TestClient } from "../testing/harness.js";
import { isPoke, pokeCursor, SseReader } from "../testing/sse-reader.js";
import { availableBackends } from "../testing/test-database.js";

const inviteOf = (res: PushResponse) => {
  const r = res.results[0];
  if (r?.status !== "applied") throw new Error("list create failed");
  return String(r.row.fields.inviteCode);
};

describe.each(availableBackends())("stream (%s)", (backend) => {
  let h: Harness;
  const readers: SseReader[] = [];
  beforeAll(async () => {
    h = await createHarness(backend);
  });
  beforeEach(async () => {
    for (const r of readers.splice(0)) await r.cancel();
    await h.reset({ config: { heartbeatMs: 20 } });
  });
  afterAll(async () => {
    for (const r of readers.splice(0)) await r.cancel();
    await h.close();
  });

  async function open(client: TestClient, path = "/api/sync/stream"): Promise<SseReader> {
    const res = await client.fetch(path, { headers: client.auth });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
    if (!res.body) throw new Error("no body");
    const reader = new SseReader(res.body);
    readers.push(reader);
    return reader;
  }

  it("[A4] a stream naming another user's clientId is refused before it opens; one's own opens", async () => {
    const alice = await h.signup("alice");
    const mallory = await h.signup("mallory");
    await alice.push(alice.createList());
    const theirs = await mallory.fetch(`/api/sync/stream?changes=1&clientId=${alice.clientId}`, {
      headers: mallory.auth,
    });
    expect(theirs.status).toBe(403);
    expect(await theirs.json()).toMatchObject({ error: { code: "CLIENT_MISMATCH" } });
    const bad = await alice.fetch("/api/sync/stream?clientId=nope", { headers: alice.auth });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { code: "VALIDATION" } });
    const own = await open(alice, `/api/sync/stream?changes=1&clientId=${alice.clientId}`);
    await own.next(isPoke);
  });

  it("[S1] on connect: a retry hint and a poke with the current cursor; then pings", async () => {
    const alice = await h.signup("alice");
    const pushed = await alice.push(alice.createList());
    const stream = await open(alice);
    const first = await stream.next(isPoke);
    expect(first.retry).toBe(3000);
    expect(pokeCursor(first)).toBe(pushed.cursor);
    await stream.next((e) => e.event === "ping");
  });

  it("[S2] a change by another member pokes with the new cursor", async () => {
    const alice = await h.signup("alice");
    const bob = await h.signup("bob");
    const list = alice.createList();
    const code = inviteOf(await alice.push(list));
    await bob.join(code);
    const stream = await open(alice);
    await stream.next(isPoke);
    const seen = stream.events.length;
    const res = await bob.push(bob.createItem(list.id, "eggs"));
    const poke = await stream.next(isPoke, seen);
    expect(pokeCursor(poke)).toBe(res.cursor);
  });

  it("[S5] with ?changes=1 another member's change arrives as its rows; without, as a poke", async () => {
    const alice = await h.signup("alice");
    const bob = await h.signup("bob");
    const list = alice.createList();
    const code = inviteOf(await alice.push(list));
    await bob.join(code);
    const rich = await open(alice, "/api/sync/stream?changes=1");
    const plain = await open(alice);
    const start = pokeCursor(await rich.next(isPoke));
    await plain.next(isPoke);
    const [seenRich, seenPlain] = [rich.events.length, plain.events.length];
    const item = bob.createItem(list.id, "eggs");
    const res = await bob.push(item);
    const event = await rich.next((e) => e.event === "changes", seenRich);
    const changes = changesSchema.parse(JSON.parse(event.data));
    expect(changes).toMatchObject({ from: start, cursor: res.cursor });
    expect(changes.rows.map((r) => [r.id, r.fields.text])).toEqual([[item.id, "eggs"]]);
    expect(pokeCursor(await plain.next(isPoke, seenPlain))).toBe(res.cursor);
  });

  it("[L23][S5] the writer's own stream learns with the rows how far its client was processed; others do not", async () => {
    const alice = await h.signup("alice");
    const first = alice.createList();
    await alice.push(first);
    const own = await open(alice, `/api/sync/stream?changes=1&clientId=${alice.clientId}`);
    const plain = await open(alice, "/api/sync/stream?changes=1");
    await own.next(isPoke);
    await plain.next(isPoke);
    const seen = [own.events.length, plain.events.length] as const;
    // An item, not a list: a change of one's own memberships is always a poke.
    const res = await alice.push(alice.createItem(first.id, "eggs"));
    const changesOf = async (stream: SseReader, from: number) =>
      changesSchema.parse(JSON.parse((await stream.next((e) => e.event === "changes", from)).data));
    expect(await changesOf(own, seen[0])).toMatchObject({ lastSeq: res.results[0]?.seq });
    expect(await changesOf(plain, seen[1])).not.toHaveProperty("lastSeq");
  });

  it("[S5][A1] streams sharing a change's frame never share rows one of them may not see", async () => {
    const alice = await h.signup("alice");
    const bob = await h.signup("bob");
    const shared = alice.createList("shared");
    const code = inviteOf(await alice.push(shared));
    await bob.join(code);
    const own = alice.createList("alice only");
    await alice.push(own);
    // Opened in this order, alice's stream frames the change first, from the same cursor as bob's.
    const aliceStream = await open(alice, "/api/sync/stream?changes=1");
    const bobStream = await open(bob, "/api/sync/stream?changes=1");
    await aliceStream.next(isPoke);
    await bobStream.next(isPoke);
    const seen = [aliceStream.events.length, bobStream.events.length] as const;
    const mine = alice.createItem(own.id, "secret");
    const ours = alice.createItem(shared.id, "eggs");
    await alice.push(mine, ours);
    const rowsOf = async (stream: SseReader, from: number) => {
      const event = await stream.next((e) => e.event === "changes", from);
      return changesSchema.parse(JSON.parse(event.data)).rows.map((r) => r.id);
    };
    expect((await rowsOf(aliceStream, seen[0])).sort()).toEqual([mine.id, ours.id].sort());
    expect(await rowsOf(bobStream, seen[1])).toEqual([ours.id]);
  });

  it("[S3] a client that goes away ends its stream: the server stops listening for it", async () => {
    let unsubscribed = () => {};
    const gone = new Promise<void>((resolve) => {
      unsubscribed = resolve;
    });
    await h.reset({
      config: { heartbeatMs: 600_000 },
      notifier: (inner) => ({
        ...inner,
        publish: (event) => inner.publish(event),
        subscribe(listener) {
          const off = inner.subscribe(listener);
          return () => {
            off();
            unsubscribed();
          };
        },
        close: () => inner.close(),
      }),
    });
    const alice = await h.signup("alice");
    const stream = await open(alice);
    await stream.next(isPoke);
    await stream.cancel();
    await gone;
  });

  it("[A1] a non-member's stream is not poked by changes to the list", async () => {
    const alice = await h.signup("alice");
    const mallory = await h.signup("mallory");
    const list = alice.createList();
    await alice.push(list);
    const stream = await open(mallory);
    await stream.next(isPoke);
    const seen = stream.events.length;
    await alice.push(alice.createItem(list.id, "secret"));
    // Notifications are delivered in order: once mallory's own change pokes her, any poke for
    // alice's change would already be there.
    const own = await mallory.push(mallory.createList("mine"));
    const poke = await stream.next(isPoke, seen);
    expect(pokeCursor(poke)).toBe(own.cursor);
    expect(stream.events.slice(seen).filter(isPoke).map(pokeCursor)).toEqual([own.cursor]);
  });

  it("[S3] joining pokes the joiner; shutdown ends open streams", async () => {
    const alice = await h.signup("alice");
    const bob = await h.signup("bob");
    const code = inviteOf(await alice.push(alice.createList()));
    const stream = await open(bob);
    await stream.next(isPoke);
    const seen = stream.events.length;
    await bob.join(code);
    await stream.next(isPoke, seen);
    await h.server.close();
    await stream.closed();
    expect(stream.done).toBe(true);
  });
});
