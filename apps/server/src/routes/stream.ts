import { STREAM_CHANGES_PARAM, STREAM_EVENTS } from "@sync/protocol";
import { and, eq } from "drizzle-orm";
import { Hono } from "hono";
import { streamSSE } from "hono/streaming";
import type { AuthVariables } from "../auth/middleware.js";
import type { ServerConfig } from "../config.js";
import { memberships } from "../db/schema/index.js";
import type { Db } from "../db/types.js";
import type { Notifier } from "../notifier/notifier.js";
import type { ChangeEvent } from "../sync/change-event.js";
import { currentCursor } from "../sync/cursor.js";
import { StreamChain } from "../sync/stream-chain.js";

/** Open streams, so shutdown can end them. */
export class StreamRegistry {
  readonly #closers = new Set<() => void>();
  add(close: () => void): () => void {
    this.#closers.add(close);
    return () => this.#closers.delete(close);
  }
  closeAll(): void {
    for (const close of [...this.#closers]) close();
  }
  get size(): number {
    return this.#closers.size;
  }
}

async function listIdsOf(db: Db, userId: string): Promise<Set<string>> {
  const rows = await db
    .select({ listId: memberships.listId })
    .from(memberships)
    .where(and(eq(memberships.userId, userId), eq(memberships.deleted, false)));
  return new Set(rows.map((r) => r.listId));
}

/**
 * GET /api/sync/stream (S1): SSE. A `retry:` hint and a poke with the current cursor on
 * connect, a poke whenever a change the caller may see commits, a ping every heartbeat.
 * With `?changes=1` a change the stream can vouch for travels as its rows instead (S5).
 */
export function streamRoutes(
  db: Db,
  notifier: Notifier,
  config: ServerConfig,
  registry: StreamRegistry,
) {
  const app = new Hono<{ Variables: AuthVariables }>();
  app.get("/", (c) => {
    const user = c.get("user");
    const wantsChanges = c.req.query(STREAM_CHANGES_PARAM) === "1";
    c.header("Cache-Control", "no-cache, no-transform");
    c.header("X-Accel-Buffering", "no");
    return streamSSE(c, async (stream) => {
      let lists = await listIdsOf(db, user.id);
      let finish = () => {};
      const done = new Promise<void>((resolve) => {
        finish = resolve;
      });
      const send = (event: string, data: string) =>
        stream.writeSSE({ event, data }).catch(() => finish());

      // Subscribed before the starting cursor is read, so no commit after it goes unseen;
      // events queue behind that read and are handled one at a time, in arrival order.
      let chain: StreamChain | undefined;
      let queue: Promise<void> = Promise.resolve();
      const onChange = (event: ChangeEvent) => {
        queue = queue
          .then(async () => {
            const ownMembershipChanged = event.userIds.includes(user.id);
            // The caller's own membership changed: re-read which lists they can see first.
            if (ownMembershipChanged) lists = await listIdsOf(db, user.id);
            const message = chain?.next(event, {
              sees: (listId) => lists.has(listId),
              ownMembershipChanged,
            });
            if (!message) return;
            if (message.kind === "changes" && wantsChanges) {
              const { kind: _kind, ...changes } = message;
              await send(STREAM_EVENTS.changes, JSON.stringify(changes));
            } else {
              await send(STREAM_EVENTS.poke, JSON.stringify({ cursor: message.cursor }));
            }
          })
          .catch(() => finish());
      };
      const unsubscribe = notifier.subscribe(onChange);
      const unregister = registry.add(() => finish());
      const heartbeat = setInterval(() => void send(STREAM_EVENTS.ping, "{}"), config.heartbeatMs);
      stream.onAbort(() => finish());
      try {
        const start = currentCursor(db);
        // A failed read is handled where the first poke awaits it (the stream ends); the queue
        // must not hold a rejection nobody handles.
        queue = start.then(
          (cursor) => {
            chain = new StreamChain(cursor);
          },
          () => finish(),
        );
        await stream.writeSSE({
          event: STREAM_EVENTS.poke,
          data: JSON.stringify({ cursor: await start }),
          retry: config.streamRetryMs,
        });
        await done;
      } finally {
        clearInterval(heartbeat);
        unsubscribe();
        unregister();
      }
    });
  });
  return app;
}
