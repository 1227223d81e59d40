import { connect } from "node:net";
import type { ChildServer } from "../support/child-server.js";
import { waitFor } from "../support/wait-for.js";

/** What the interceptor does with one push: it decides when the server dies. */
export type PushInterceptor = (url: string, init: RequestInit | undefined) => Promise<Response>;

export interface KillPoint {
  readonly name: string;
  /** Postgres only: needs to watch the server's transactions from outside. */
  readonly needsProbe: boolean;
  /** Also run on PGlite by default (each PGlite restart is slow; CRASH_ALL=1 runs every point). */
  readonly onPglite: boolean;
  /** Builds the interceptor for one run; `hit` records whether the intended point was reached. */
  intercept(server: ChildServer, hit: (reached: boolean) => void): PushInterceptor;
}

/** A push body is a string (JSON) or bytes (the compact encoding). */
const bodyOf = (init: RequestInit | undefined): Buffer =>
  typeof init?.body === "string" || init?.body instanceof Uint8Array
    ? Buffer.from(init.body)
    : Buffer.alloc(0);

/** Sends headers and part of the body (all of it at 1) on a raw socket, without waiting. */
async function halfUpload(
  url: string,
  init: RequestInit | undefined,
  fraction = 0.5,
): Promise<() => void> {
  const { hostname, port, pathname } = new URL(url);
  const body = bodyOf(init);
  const headers = new Headers(init?.headers);
  const socket = connect(Number(port), hostname);
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", resolve);
    socket.once("error", reject);
  });
  socket.on("error", () => {});
  const lines = [
    `POST ${pathname} HTTP/1.1`,
    `Host: ${hostname}:${port}`,
    `Content-Length: ${body.length}`,
  ];
  headers.forEach((value, key) => {
    if (key !== "content-length" && key !== "host") lines.push(`${key}: ${value}`);
  });
  socket.write(`${lines.join("\r\n")}\r\n\r\n`);
  socket.write(body.subarray(0, Math.floor(body.length * fraction)));
  return () => socket.destroy();
}

async function serverInTransaction(server: ChildServer): Promise<boolean> {
  const sql = server.sql;
  if (!sql) return false;
  // An assigned transaction id: the push transaction has written and not yet ended.
  const rows = await sql`select count(*)::int as n from pg_stat_activity
    where datname = current_database() and pid <> pg_backend_pid() and backend_xid is not null`;
  return (rows[0]?.n ?? 0) > 0;
}

async function appliedCount(server: ChildServer): Promise<number> {
  const sql = server.sql;
  if (!sql) return 0;
  const rows = await sql`select count(*)::int as n from applied_ops`;
  return rows[0]?.n ?? 0;
}

const lost = () => new TypeError("fetch failed: socket hang up (server killed)");

export const KILL_POINTS: readonly KillPoint[] = [
  {
    name: "before the transaction (request body half uploaded)",
    needsProbe: false,
    onPglite: false,
    intercept: (server, hit) => async (url, init) => {
      const close = await halfUpload(url, init);
      await server.kill();
      close();
      hit(true);
      throw lost();
    },
  },
  {
    name: "mid-batch (push transaction open, rows written, not committed)",
    needsProbe: true,
    onPglite: false,
    intercept: (server, hit) => async (url, init) => {
      const before = await appliedCount(server);
      const sent = fetch(url, init).catch(() => undefined);
      let reached = false;
      await waitFor(
        async () => {
          reached = await serverInTransaction(server);
          return reached || (await appliedCount(server)) > before;
        },
        "the push transaction",
        30_000,
      );
      await server.kill();
      await sent;
      hit(reached);
      throw lost();
    },
  },
  {
    name: "after commit, before the response reaches the client",
    needsProbe: true,
    onPglite: false,
    intercept: (server, hit) => async (url, init) => {
      const before = await appliedCount(server);
      // The whole request on a socket whose answer is never read: whenever the server writes
      // its response, the client cannot see it, so the point is reached every time (racing a
      // fetch against the kill reached it only when the kill won).
      const close = await halfUpload(url, init, 1);
      await waitFor(async () => (await appliedCount(server)) > before, "the commit", 30_000);
      await server.kill();
      close();
      hit(true);
      throw lost();
    },
  },
  {
    name: "after the response was sent (the answer and the server both lost)",
    needsProbe: false,
    onPglite: true,
    intercept: (server, hit) => async (url, init) => {
      const res = await fetch(url, init);
      await res.arrayBuffer();
      await server.kill();
      hit(true);
      throw lost();
    },
  },
  {
    name: "a large batch fully uploaded, killed at once (wherever the server is)",
    needsProbe: false,
    onPglite: false,
    intercept: (server, hit) => async (url, init) => {
      const close = await halfUpload(url, init, 1);
      await server.kill();
      close();
      hit(true);
      throw lost();
    },
  },
];
