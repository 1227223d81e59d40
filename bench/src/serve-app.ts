import { createServer, type IncomingMessage } from "node:http";

/** The part of a Hono app this needs. */
export interface FetchApp {
  fetch(request: Request): Response | Promise<Response>;
}

export interface ServedApp {
  readonly url: string;
  close(): Promise<void>;
}

async function toRequest(req: IncomingMessage, origin: string): Promise<Request> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (typeof value === "string") headers.set(name, value);
    else if (Array.isArray(value)) for (const v of value) headers.append(name, v);
  }
  const method = req.method ?? "GET";
  return new Request(`${origin}${req.url ?? "/"}`, {
    method,
    headers,
    ...(method === "GET" || method === "HEAD" ? {} : { body: Buffer.concat(chunks) }),
  });
}

/**
 * Serves a fetch-style app on loopback with node:http (buffered bodies; enough for push and
 * pull). Used where a benchmark must own the server's database, which startTestServer hides.
 */
export async function serveApp(app: FetchApp): Promise<ServedApp> {
  let origin = "";
  const server = createServer((req, res) => {
    void (async () => {
      const response = await app.fetch(await toRequest(req, origin));
      const body = Buffer.from(await response.arrayBuffer());
      response.headers.forEach((value, name) => {
        res.setHeader(name, value);
      });
      res.writeHead(response.status);
      res.end(body);
    })().catch((error: unknown) => {
      res.writeHead(500).end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  origin = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
  return {
    url: origin,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
