import { pullQuerySchema } from "@sync/protocol";
import { Hono } from "hono";
import type { AuthVariables } from "../auth/middleware.js";
import type { Db } from "../db/types.js";
import { parseWith } from "../http/read-json.js";
import { pullPage } from "../sync/pull.js";

export function pullRoutes(db: Db) {
  const app = new Hono<{ Variables: AuthVariables }>();
  app.get("/", async (c) => {
    const query = parseWith(pullQuerySchema, c.req.query(), "pull query");
    // The page is JSON text already (sync/pull.ts): sent as is, not parsed and re-encoded.
    c.header("content-type", "application/json");
    return c.body(await pullPage(db, c.get("user").id, query), 200);
  });
  return app;
}
