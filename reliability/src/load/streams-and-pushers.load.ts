import { readFileSync } from "node:fs";
import type { TestSession } from "@sync/server/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ChildServer } from "../support/child-server.js";
import { RawClient } from "../support/raw-client.js";
import { pullAll } from "../support/server-view.js";
import { SseStream } from "../support/sse.js";
import { waitFor } from "../support/wait-for.js";

// `pnpm load`: a measurement run, not part of `pnpm test`. Figures go to docs/reliability.md.
const SECONDS = Number(process.env.LOAD_SECONDS ?? 60);
const STREAMS = Number(process.env.LOAD_STREAMS ?? 500);
const PUSHERS = Number(process.env.LOAD_PUSHERS ?? 20);
const LISTS = 5;

const rssMb = (pid: number | undefined): number => {
  if (pid === undefined) return 0;
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(status.match(/VmRSS:\s+(\d+)/)?.[1] ?? 0) / 1024;
};

async function signup(url: string): Promise<TestSession> {
  const username = `load_${process.pid}_${Math.random().toString(36).slice(2, 9)}`;
  const res = await fetch(`${url}/api/auth/signup`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username, password: "correct-horse-1" }),
  });
  if (res.status !== 201) throw new Error(`signup ${res.status}`);
  const body = (await res.json()) as { token: string; user: { id: string } };
  return { token: body.token, userId: body.user.id, username };
}

describe("load: open streams and continuous pushers", () => {
  let server: ChildServer;
  beforeAll(async () => {
    server = await ChildServer.create(process.env.DATABASE_URL ? "postgres" : "pglite");
    await server.start();
  }, 180_000);
  afterAll(async () => {
    await server?.close();
  });

  it(`${STREAMS} streams and ${PUSHERS} pushers for ${SECONDS} s: no errors, no lost pokes, bounded memory`, async () => {
    const url = server.url;
    const owner = new RawClient(url, await signup(url));
    const lists: { listId: string; code: string }[] = [];
    for (let i = 0; i < LISTS; i++) lists.push(await owner.newList(`load ${i}`));
    const pushers: RawClient[] = [];
    for (let i = 0; i < PUSHERS; i++) {
      const c = new RawClient(url, await signup(url));
      for (const l of lists) expect((await c.join(l.code)).status).toBe(200);
      pushers.push(c);
    }
    // Stream users: members of every list; several tabs (streams) per user.
    const viewers: TestSession[] = [];
    for (let i = 0; i < Math.ceil(STREAMS / 10); i++) {
      const session = await signup(url);
      for (const l of lists)
        expect((await new RawClient(url, session).join(l.code)).status).toBe(200);
      viewers.push(session);
    }
    const streams: SseStream[] = [];
    for (let i = 0; i < STREAMS; i++) {
      const s = await SseStream.open(url, (viewers[i % viewers.length] as TestSession).token);
      expect(s.status).toBe(200);
      streams.push(s);
    }
    await waitFor(
      () => streams.every((s) => s.pokes().length > 0),
      "every stream's first poke",
      60_000,
    );
    const baseline = rssMb(server.pid);
    const samples: number[] = [];
    const sampler = setInterval(() => samples.push(rssMb(server.pid)), 1_000);

    let ops = 0;
    let pushes = 0;
    const errors: string[] = [];
    const latencies: number[] = [];
    const deadline = Date.now() + SECONDS * 1_000;
    await Promise.all(
      pushers.map(async (c, n) => {
        const items: string[] = [];
        while (Date.now() < deadline) {
          const list = lists[(n + pushes) % LISTS] as { listId: string };
          const batch = [c.createItem(list.listId, `from ${n}`)];
          const mine = items[items.length - 1];
          if (mine)
            batch.push(c.op({ entity: "item", id: mine, kind: "increment", fields: { qty: 1 } }));
          const started = Date.now();
          const res = await c
            .pushRaw(batch)
            .catch((e: unknown) => new Response(String(e), { status: 599 }));
          latencies.push(Date.now() - started);
          pushes++;
          if (res.status !== 200) {
            errors.push(`${res.status} ${await res.text()}`);
            continue;
          }
          const body = (await res.json()) as { results: { status: string }[] };
          for (const r of body.results) if (r.status !== "applied") errors.push(JSON.stringify(r));
          ops += batch.length;
          items.push(batch[0]?.id as string);
        }
      }),
    );
    clearInterval(sampler);
    const final = (await pullAll(url, (pushers[0] as RawClient).session.token)).cursor;
    // No lost pokes: every stream's newest poke reaches the server's final cursor.
    await waitFor(
      () => streams.every((s) => Math.max(...s.pokes()) >= final),
      () =>
        `streams at the final cursor ${final}: ${streams.filter((s) => Math.max(...s.pokes()) < final).length} behind`,
      60_000,
    );
    const ended = streams.filter((s) => s.events.length === 0).length;
    for (const s of streams) s.close();
    latencies.sort((a, b) => a - b);
    const pct = (p: number) =>
      latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))];
    const peak = Math.max(...samples);
    process.stdout.write(
      `load (${server.backend}): ${SECONDS} s, ${STREAMS} streams, ${PUSHERS} pushers: ${pushes} pushes, ${ops} ops ` +
        `(${(ops / SECONDS).toFixed(0)} ops/s), push latency p50 ${pct(0.5)} ms p99 ${pct(0.99)} ms, errors ${errors.length}, ` +
        `final cursor ${final}, server RSS baseline ${baseline.toFixed(0)} MB peak ${peak.toFixed(0)} MB end ${(samples.at(-1) ?? 0).toFixed(0)} MB\n`,
    );
    expect(errors.slice(0, 5)).toEqual([]);
    expect(ended).toBe(0);
    // Bounded: the server's memory does not grow with time under a steady load.
    expect(peak).toBeLessThan(baseline * 2 + 256);
  }, 600_000);
});
