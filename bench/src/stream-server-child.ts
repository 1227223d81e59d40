/**
 * A server in its own process, so its memory can be measured alone. argv[2] picks it:
 * "ours" = the real server from @sync/server/testing; "raw" = a bare node:http SSE broadcaster
 * (the baseline). Talks to the parent over IPC: ready -> memory -> close.
 */
import { createServer, type ServerResponse } from "node:http";
import { startTestServer, type TestSession } from "@sync/server/testing";

interface Ready {
  readonly type: "ready";
  readonly url: string;
  readonly session: TestSession;
}

async function startRaw(): Promise<{ ready: Ready; close: () => Promise<void> }> {
  const streams = new Set<ServerResponse>();
  let cursor = 0;
  const server = createServer((req, res) => {
    if (req.method === "GET" && req.url?.startsWith("/api/sync/stream")) {
      res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
      res.write(`event: poke\ndata: {"cursor":${cursor}}\n\n`);
      streams.add(res);
      req.on("close", () => streams.delete(res));
      return;
    }
    if (req.method === "POST" && req.url === "/poke") {
      cursor += 1;
      for (const stream of streams) stream.write(`event: poke\ndata: {"cursor":${cursor}}\n\n`);
      res.writeHead(204).end();
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    ready: {
      type: "ready",
      url: `http://127.0.0.1:${port}`,
      session: { token: "raw", userId: "", username: "" },
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const stream of streams) stream.end();
        server.close(() => resolve());
      }),
  };
}

async function startOurs(): Promise<{ ready: Ready; close: () => Promise<void> }> {
  const server = await startTestServer({ config: { heartbeatMs: 600_000 } });
  const session = await server.signup();
  return {
    ready: { type: "ready", url: server.url, session },
    close: () => server.close(),
  };
}

const started = process.argv[2] === "raw" ? await startRaw() : await startOurs();
const send = (message: unknown) => process.send?.(message);
process.on("message", async (message: { type: string }) => {
  if (message.type === "memory") {
    // Two collections settle weak references and finalizers before the reading.
    globalThis.gc?.();
    globalThis.gc?.();
    const { rss, heapUsed } = process.memoryUsage();
    send({ type: "memory", rss, heapUsed });
  } else if (message.type === "close") {
    await started.close();
    send({ type: "closed" });
    process.exit(0);
  }
});
send(started.ready);
