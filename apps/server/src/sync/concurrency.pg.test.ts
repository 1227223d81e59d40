import type { PushRequest, PushResponse } from "@sync/protocol";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createApp } from "../app.js";
import { connectDatabase, type Database } from "../db/connect.js";
import { executeRows } from "../db/rows.js";
import { createPgNotifier } from "../notifier/pg-notifier.js";
import { createHarness, type Harness, TestClient } from "../testing/harness.js";
import { isPoke, pokeCursor, SseReader } from "../testing/sse-reader.js";
import { testConfig } from "../testing/start-test-server.js";
import { availableBackends } from "../testing/test-database.js";
import { VERSION_LOCK_KEY } from "./version-lock.js";

const inviteOf = (res: PushResponse) => {
  const r = res.results[0];
  if (r?.status !== "applied") throw new Error("list create failed");
  return String(r.row.fields.inviteCode);
};

/** Waits on a condition by polling the database (no fixed sleeps: each round is one query). */
async function until(check: () => Promise<boolean>): Promise<void> {
  while (!(await check())) await new Promise((resolve) => setImmediate(resolve));
}

const HAS_POSTGRES = availableBackends().includes("postgres");

// PGlite runs one connection, so its transactions never overlap: these need real Postgres.
describe.runIf(HAS_POSTGRES)("concurrency on real Postgres", () => {
  let h: Harness;
  /** Pushes from these client ids wait inside their transaction until released. */
  const gates = new Map<string, { reached: () => void; release: Promise<void> }>();
  beforeAll(async () => {
    h = await createHarness("postgres");
  });
  beforeEach(() =>
    h.reset({
      hooks: {
        beforeCommit: async (request: PushRequest) => {
          const gate = gates.get(request.clientId);
          if (!gate) return;
          gate.reached();
          await gate.release;
        },
      },
    }),
  );
  afterAll(() => h.close());

  function gate(clientId: string) {
    let reached = () => {};
    let release = () => {};
    const arrived = new Promise<void>((resolve) => {
      reached = resolve;
    });
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    gates.set(clientId, { reached, release: released });
    return { arrived, release };
  }

  const waitingForVersionLock = async () => {
    const rows = await executeRows<{ n: number }>(
      h.testDb.database.db,
      sql`select count(*)::int as n from pg_locks where locktype = 'advisory' and objid = ${VERSION_LOCK_KEY} and not granted`,
    );
    return (rows[0]?.n ?? 0) > 0;
  };

  const lastVersionDrawn = async () => {
    const rows = await executeRows<{ v: string | number }>(
      h.testDb.database.db,
      sql`select last_value as v from change_version_seq`,
    );
    return Number(rows[0]?.v);
  };

  it("[C1] two concurrent pushes, the first held open: the second draws no version until the first commits; a pull between sees neither, a later pull both, no gap", async () => {
    const alice = await h.signup("alice");
    const bob = await h.signup("bob");
    const list = alice.createList();
    await bob.join(inviteOf(await alice.push(list)));
    const start = await alice.pull();

    const held = gate(alice.clientId);
    const first = alice.push(alice.createItem(list.id, "first"));
    await held.arrived; // alice's transaction has its version and is not committed
    const drawn = await lastVersionDrawn();
    const second = bob.push(bob.createItem(list.id, "second"));
    await until(waitingForVersionLock); // bob's transaction waits for the version lock
    // Bob's statement waits with the versions it will draw: none drawn before the lock.
    const drawnWhileWaiting = await lastVersionDrawn();

    const between = await alice.pull(start.cursor);
    expect(between.rows).toEqual([]);
    expect(between.cursor).toBe(start.cursor);

    held.release();
    const [a, b] = await Promise.all([first, second]);
    const after = await alice.pull(between.cursor);
    expect(after.rows.map((r) => r.fields.text)).toEqual(["first", "second"]);
    expect(drawnWhileWaiting).toBe(drawn);
    expect(a.cursor).toBe(drawn);
    expect(a.cursor).toBeLessThan(b.cursor);
  });

  it("[C1] a burst of concurrent pushes while pulling in a loop: the cursor chain misses nothing", async () => {
    const alice = await h.signup("alice");
    const list = alice.createList();
    const code = inviteOf(await alice.push(list));
    const writers: TestClient[] = [];
    for (let i = 0; i < 6; i++) {
      const w = await h.signup(`writer${i}`);
      await w.join(code);
      writers.push(w);
    }
    let cursor = (await alice.pullAll()).cursor;
    const seen = new Set<string>();
    let done = false;
    const pushes = Promise.all(
      writers.map(async (w) => {
        for (let k = 0; k < 4; k++) await w.push(w.createItem(list.id, `${w.username}-${k}`));
      }),
    ).finally(() => {
      done = true;
    });
    while (!done) {
      const page = await alice.pull(cursor);
      for (const r of page.rows) seen.add(String(r.fields.text));
      cursor = page.cursor;
    }
    await pushes;
    const last = await alice.pullAll(cursor);
    for (const r of last.rows) seen.add(String(r.fields.text));
    const expected = writers.flatMap((w) => [0, 1, 2, 3].map((k) => `${w.username}-${k}`));
    for (const text of expected) expect(seen.has(text), text).toBe(true);
  });
});

describe.runIf(HAS_POSTGRES)("two server processes on one Postgres", () => {
  let h: Harness;
  let second: { database: Database; close(): Promise<void>; request: TestClient["fetch"] };
  beforeAll(async () => {
    h = await createHarness("postgres");
  });
  afterAll(async () => {
    await second?.close();
    await h.close();
  });

  it("[S4][S5] a stream on one instance hears of a push to the other (LISTEN/NOTIFY)", async () => {
    const url = h.testDb.url ?? "";
    const instances = await Promise.all(
      [0, 1].map(async () => {
        const database = await connectDatabase({ kind: "postgres", url, max: 3 });
        const sqlClient = database.sql;
        if (!sqlClient) throw new Error("postgres without sql client");
        const notifier = await createPgNotifier(sqlClient);
        const server = createApp({
          db: database.db,
          notifier,
          config: testConfig({ webDistDir: "/nonexistent" }),
        });
        return {
          database,
          request: async (path: string, init?: RequestInit) => server.app.request(path, init),
          async close() {
            await server.close();
            await notifier.close();
            await database.close();
          },
        };
      }),
    );
    const [one, two] = instances as [typeof second, typeof second];
    second = {
      database: one.database,
      request: one.request,
      close: async () => {
        await one.close();
        await two.close();
      },
    };
    const signup = async (fetch: TestClient["fetch"], name: string) => {
      const res = await fetch("/api/auth/signup", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ username: name, password: "correct-horse-1" }),
      });
      const body = (await res.json()) as { token: string; user: { id: string } };
      return new TestClient(fetch, body.token, body.user.id, name);
    };
    const alice = await signup(one.request, "alice");
    const list = alice.createList();
    const code = inviteOf(await alice.push(list));
    const bob = await signup(two.request, "bob");
    expect((await bob.join(code)).status).toBe(200);

    const open = async (path: string) => {
      const res = await alice.fetch(path, { headers: alice.auth });
      if (!res.body) throw new Error("no body");
      const reader = new SseReader(res.body);
      await reader.next(isPoke);
      return reader;
    };
    const stream = await open("/api/sync/stream");
    const rich = await open("/api/sync/stream?changes=1");
    // Bob's own client, listening on the other instance than the one he pushes to (L23).
    const ownRes = await one.request(`/api/sync/stream?changes=1&clientId=${bob.clientId}`, {
      headers: bob.auth,
    });
    if (!ownRes.body) throw new Error("no body");
    const own = new SseReader(ownRes.body);
    await own.next(isPoke);
    const [seen, seenRich, seenOwn] = [stream.events.length, rich.events.length, own.events.length];
    const item = bob.createItem(list.id, "from instance two");
    const pushed = await bob.push(item);
    const poke = await stream.next(isPoke, seen);
    expect(pokeCursor(poke)).toBe(pushed.cursor);
    // The NOTIFY sent inside the push transaction carries the rows to the other instance (S5).
    const changes = await rich.next((e) => e.event === "changes", seenRich);
    expect(JSON.parse(changes.data)).toMatchObject({
      cursor: pushed.cursor,
      rows: [{ id: item.id, fields: { text: "from instance two" } }],
    });
    expect(JSON.parse(changes.data)).not.toHaveProperty("lastSeq");
    const ownChanges = await own.next((e) => e.event === "changes", seenOwn);
    expect(JSON.parse(ownChanges.data)).toMatchObject({ lastSeq: pushed.results[0]?.seq });
    await stream.cancel();
    await rich.cancel();
    await own.cancel();
  });
});
