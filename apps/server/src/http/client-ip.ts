import type { Context } from "hono";

interface NodeBindings {
  incoming?: { socket?: { remoteAddress?: string } };
}

/** The peer address from @hono/node-server; forwarded headers are not trusted (no proxy assumed). */
export function clientIp(c: Context): string {
  const env = c.env as NodeBindings | undefined;
  return env?.incoming?.socket?.remoteAddress ?? "local";
}
