import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { serveStatic } from "@hono/node-server/serve-static";
import type { Hono } from "hono";

/**
 * Serves the built web app on the same origin when `dir` exists: files, `sw.js` uncached
 * with scope `/`, and index.html for any other non-API GET (SPA routes).
 */
export function mountStatic(app: Hono, dir: string): boolean {
  const indexPath = join(dir, "index.html");
  if (!existsSync(indexPath)) return false;
  app.use("/sw.js", async (c, next) => {
    await next();
    c.header("Cache-Control", "no-cache");
    c.header("Service-Worker-Allowed", "/");
  });
  app.use("*", async (c, next) => {
    if (c.req.path.startsWith("/api/")) return next();
    return serveStatic({ root: dir })(c, next);
  });
  app.get("*", (c, next) => {
    if (c.req.path.startsWith("/api/") || c.req.path === "/api") return next();
    c.header("Cache-Control", "no-cache");
    return c.html(readFileSync(indexPath, "utf8"));
  });
  return true;
}
