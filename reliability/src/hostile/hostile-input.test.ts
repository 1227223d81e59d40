import { startTestServer, type TestServer } from "@sync/server/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Dump, diffDumps, dumpDatabase, entityTables } from "../support/db-dump.js";
import { RawClient } from "../support/raw-client.js";
import { type RestartableServer, startRestartableServer } from "../support/restartable-server.js";
import { pullAll } from "../support/server-view.js";
import { type Answer, HOSTILE_CORPUS, type HostileContext } from "./corpus.js";

type Signup = RestartableServer["signup"];

async function context(url: string, signup: Signup): Promise<HostileContext> {
  const alice = new RawClient(url, await signup());
  const bob = new RawClient(url, await signup());
  const { listId } = await alice.newList("Alice's");
  const item = alice.createItem(listId, "milk");
  await alice.push(item);
  const { listId: bobListId } = await bob.newList("Bob's");
  const gone = await signup();
  const out = await fetch(`${url}/api/auth/signout`, {
    method: "POST",
    headers: { authorization: `Bearer ${gone.token}` },
  });
  if (out.status !== 204) throw new Error(`signout ${out.status}`);
  return { url, alice, bob, listId, itemId: item.id, bobListId, revokedToken: gone.token };
}

/** Without direct SQL (the real listener's database is private): every row each user can pull. */
async function pulledRows(ctx: HostileContext): Promise<string> {
  const alice = await pullAll(ctx.url, ctx.alice.session.token);
  const bob = await pullAll(ctx.url, ctx.bob.session.token);
  return JSON.stringify([alice, bob]);
}

describe("hostile input", () => {
  let server: RestartableServer;
  let listener: TestServer;
  let ctx: HostileContext;
  let rawCtx: HostileContext;
  const codes = new Map<string, number>();
  const dumps = new Map<"full" | "entities", Dump>();
  beforeAll(async () => {
    server = await startRestartableServer();
    listener = await startTestServer();
    ctx = await context(server.url ?? "", server.signup);
    rawCtx = await context(listener.url, () => listener.signup());
  });
  afterAll(async () => {
    await server?.close();
    await listener?.close();
    process.stdout.write(
      `hostile: ${HOSTILE_CORPUS.length} cases; codes ${JSON.stringify(Object.fromEntries(codes))}\n`,
    );
  });

  const count = (code: unknown) => codes.set(String(code), (codes.get(String(code)) ?? 0) + 1);

  /** A 4xx with `{ error: { code, message } }`. */
  function expectEnvelope(answer: Answer, status: number | undefined): void {
    const shown = answer.body.slice(0, 300);
    expect(answer.status, shown).toBeGreaterThanOrEqual(400);
    expect(answer.status, shown).toBeLessThan(500);
    if (status !== undefined) expect(answer.status, shown).toBe(status);
    const body = JSON.parse(answer.body) as { error?: { code?: unknown; message?: unknown } };
    expect(typeof body.error?.code, shown).toBe("string");
    expect(typeof body.error?.message, shown).toBe("string");
    count(body.error?.code);
  }

  it("[G7] the corpus has at least 200 cases", () => {
    expect(HOSTILE_CORPUS.length).toBeGreaterThanOrEqual(200);
  });

  it.each(HOSTILE_CORPUS.map((c) => [c.name, c] as const))("[G7] %s", async (_name, hostile) => {
    if (hostile.kind === "raw") {
      const before = await pulledRows(rawCtx);
      expectEnvelope(await hostile.send(rawCtx), hostile.status);
      expect(await pulledRows(rawCtx)).toBe(before);
      expect((await fetch(`${rawCtx.url}/api/health`)).status).toBe(200);
      return;
    }
    const db = server.testDb.database.db;
    const tables = hostile.kind === "op" ? await entityTables(db) : undefined;
    // The previous case's "after" is this case's "before" (op cases grow the dedup log, so the
    // full dump is taken afresh after them).
    const key = hostile.kind === "op" ? "entities" : "full";
    const before = dumps.get(key) ?? (await dumpDatabase(db, tables));
    if (hostile.kind === "op") dumps.delete("full");
    const answer = await hostile.send(ctx);
    if (hostile.kind === "http") {
      expectEnvelope(answer, hostile.status);
    } else {
      expect(answer.status, answer.body.slice(0, 300)).toBe(200);
      const body = JSON.parse(answer.body) as { results: { status: string; code?: string }[] };
      expect(body.results.length).toBeGreaterThan(0);
      for (const result of body.results) {
        expect(result.status, answer.body.slice(0, 300)).toBe("rejected");
        count(result.code);
      }
    }
    const after = await dumpDatabase(db, tables);
    dumps.set(key, after);
    expect(diffDumps(before, after)).toEqual([]);
    expect((await fetch(`${ctx.url}/api/health`)).status).toBe(200);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
