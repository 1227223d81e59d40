import { connect } from "node:net";

export interface RawResponse {
  readonly status: number;
  readonly headers: string;
  readonly body: string;
}

/**
 * Writes bytes on a raw TCP socket (what fetch refuses to send: conflicting length headers,
 * broken chunking) and reads the answer until the server closes or `timeoutMs` passes.
 */
export async function rawRequest(
  url: string,
  parts: readonly (string | Buffer)[],
  timeoutMs = 10_000,
): Promise<RawResponse> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => socket.destroy(), timeoutMs);
    socket.on("data", (chunk) => {
      chunks.push(chunk);
      // A complete answer ends the exchange even when the server keeps the connection alive.
      if (complete(Buffer.concat(chunks).toString("utf8"))) socket.destroy();
    });
    // The server may answer and close before we finish writing: EPIPE/ECONNRESET are expected.
    socket.on("error", () => {});
    socket.on("close", () => {
      clearTimeout(timer);
      const text = Buffer.concat(chunks).toString("utf8");
      const head = text.split("\r\n\r\n", 1)[0] ?? "";
      const status = Number(head.match(/^HTTP\/1\.[01] (\d{3})/)?.[1] ?? 0);
      let body = text.slice(head.length + 4);
      if (/transfer-encoding:\s*chunked/i.test(head)) body = dechunk(body);
      if (status === 0 && chunks.length === 0) reject(new Error("no answer"));
      else resolve({ status, headers: head, body });
    });
    socket.on("connect", async () => {
      for (const part of parts) {
        if (socket.destroyed) break;
        await new Promise<void>((done) => socket.write(part, () => done()));
      }
    });
  });
}

function complete(text: string): boolean {
  const end = text.indexOf("\r\n\r\n");
  if (end < 0) return false;
  const head = text.slice(0, end);
  const length = head.match(/content-length:\s*(\d+)/i)?.[1];
  if (length !== undefined) return Buffer.byteLength(text.slice(end + 4)) >= Number(length);
  if (/transfer-encoding:\s*chunked/i.test(head)) return text.endsWith("0\r\n\r\n");
  return false;
}

function dechunk(body: string): string {
  let out = "";
  let rest = body;
  for (;;) {
    const line = rest.indexOf("\r\n");
    if (line < 0) break;
    const size = Number.parseInt(rest.slice(0, line), 16);
    if (!Number.isFinite(size) || size === 0) break;
    out += rest.slice(line + 2, line + 2 + size);
    rest = rest.slice(line + 2 + size + 2);
  }
  return out;
}
