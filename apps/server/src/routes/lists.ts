import type { HybridClock } from "@sync/clock";
import { type JoinListResponse, joinListRequestSchema, uuidSchema } from "@sync/protocol";
import { Hono } from "hono";
import type { AuthVariables } from "../auth/middleware.js";
import type { Db } from "../db/types.js";
import { parseWith, readJson } from "../http/read-json.js";
import type { Notifier } from "../notifier/notifier.js";
import { joinList, leaveList } from "../sync/join-list.js";

export function listRoutes(db: Db, clock: HybridClock, notifier: Notifier) {
  const app = new Hono<{ Variables: AuthVariables }>();
  app.post("/join", async (c) => {
    const { code } = await readJson(c, joinListRequestSchema);
    const { listId, event } = await joinList(db, clock, c.get("user"), code);
    if (event) await notifier.publish(event);
    return c.json({ listId } satisfies JoinListResponse, 200);
  });
  app.post("/:id/leave", async (c) => {
    const listId = parseWith(uuidSchema, c.req.param("id"), "list id");
    const event = await leaveList(db, clock, c.get("user"), listId);
    if (event) await notifier.publish(event);
    return c.body(null, 204);
  });
  return app;
}
