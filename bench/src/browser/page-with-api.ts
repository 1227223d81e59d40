import type { FetchApp } from "../serve-app.js";
import { type ServedApp, serveApp } from "../serve-app.js";

const HTML =
  '<!doctype html><meta charset="utf-8"><title>bench</title><script type="module" src="/bench.js"></script>';

/**
 * Serves a benchmark page and the sync API from one origin (no CORS in the way): `/` and
 * `/bench.js` here, everything else to `api`, an app in this process or a server's URL.
 */
export function servePageWithApi(script: string, api: FetchApp | string): Promise<ServedApp> {
  const forward: FetchApp =
    typeof api === "string"
      ? {
          async fetch(request) {
            const url = new URL(request.url);
            const res = await fetch(`${api}${url.pathname}${url.search}`, {
              method: request.method,
              headers: request.headers,
              ...(request.method === "GET" || request.method === "HEAD"
                ? {}
                : { body: await request.arrayBuffer() }),
            });
            // fetch already decoded the body: its length and encoding headers no longer apply.
            const headers = new Headers(res.headers);
            headers.delete("content-encoding");
            headers.delete("content-length");
            return new Response(await res.arrayBuffer(), { status: res.status, headers });
          },
        }
      : api;
  return serveApp({
    fetch(request) {
      const { pathname } = new URL(request.url);
      if (pathname === "/") {
        return new Response(HTML, { headers: { "content-type": "text/html" } });
      }
      if (pathname === "/bench.js") {
        return new Response(script, { headers: { "content-type": "text/javascript" } });
      }
      return forward.fetch(request);
    },
  });
}
