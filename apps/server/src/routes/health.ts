import { type HealthResponse, PROTOCOL_VERSION } from "@sync/protocol";
import { sql } from "drizzle-orm";
import { Hono } from "hono";
import type { Db } from "../db/types.js";

/** GET /api/health: 200 when the database answers, 503 otherwise. */
export function healthRoutes(db: Db) {
  const app = new Hono();
  app.get("/", async (c) => {
    try {
      await db.execute(sql`select 1`);
      return c.json(
        {
          status: "ok",
          database: "up",
          protocolVersion: PROTOCOL_VERSION,
        } satisfies HealthResponse,
        200,
      );
    } catch {
      // The failure is the answer here: health reports it instead of raising it.
      return c.json(
        {
          status: "degraded",
          database: "down",
          protocolVersion: PROTOCOL_VERSION,
        } satisfies HealthResponse,
        503,
      );
    }
  });
  return app;
}
