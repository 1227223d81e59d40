import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { ErrorCode, errorEnvelope } from "@sync/protocol";
import type { Hono } from "hono";

export interface HttpServer {
  readonly port: number;
  /** Stops accepting, lets open requests finish (streams must be ended by the app). */
  close(): Promise<void>;
}

/**
 * Listens with @hono/node-server. Requests node's HTTP parser refuses (conflicting
 * Content-Length / Transfer-Encoding, bad chunking, oversized headers) still get the envelope.
 */
export function startHttpServer(
  app: Hono,
  options: { port: number; host: string },
): Promise<HttpServer> {
  return new Promise((resolve, reject) => {
    const server = serve(
      { fetch: app.fetch, port: options.port, hostname: options.host },
      (info: AddressInfo) => {
        resolve({
          port: info.port,
          close: () =>
            new Promise<void>((done, fail) => {
              server.close((error) => (error ? fail(error) : done()));
              if ("closeIdleConnections" in server) server.closeIdleConnections();
            }),
        });
      },
    );
    server.once("error", reject);
    server.on("clientError", (error: NodeJS.ErrnoException, socket) => {
      if (!socket.writable) return socket.destroy();
      const status = error.code === "HPE_HEADER_OVERFLOW" ? 431 : 400;
      const body = JSON.stringify(
        errorEnvelope(
          ErrorCode.BAD_REQUEST,
          `malformed HTTP request: ${error.code ?? "parse error"}`,
        ),
      );
      socket.end(
        `HTTP/1.1 ${status} Bad Request\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
    });
  });
}
