import { pullQuerySchema } from "@sync/protocol";
import { Hono } from "hono";
import type { AuthVariables } from "../auth/middleware.js";
import type { Db } from "../db/types.js";
import { parseWith } from "../http/read-json.js";
import { pull } from "../sync/pull.js";

export function pullRoutes(db: Db) {
  const app = new Hono<{ Variables: AuthVariables }>();
  app.get("/", async (c) => {
    const query = parseWith(pullQuerySchema, c.req.query(), "pull query");
    return c.json(await pull(db, c.get("user").id, query), 200);
  });
  return app;
}
