import {
  STREAM_CHANGES_PARAM,
  STREAM_CLIENT_PARAM,
  STREAM_EVENTS,
  uuidSchema,
} from "@sync/protocol";
import { and, eq } from "drizzle-orm";
import { Hono } from "hono";
import type { AuthVariables } from "../auth/middleware.js";
import type { ServerConfig } from "../config.js";
import { memberships } from "../db/schema/index.js";
import type { Db } from "../db/types.js";
import { parseWith } from "../http/read-json.js";
import type { Notifier } from "../notifier/notifier.js";
import type { ChangeEvent } from "../sync/change-event.js";
import { processedSeq } from "../sync/client-progress.js";
import { currentCursor } from "../sync/cursor.js";
import { StreamChain, type StreamMessage } from "../sync/stream-chain.js";
import { SseBody, sseFrame } from "./sse-body.js";

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
 * The encoded frame of a stream's message for an event. Streams that send the same message (a
 * poke, or every row of the event from the same `from`) share one frame: the fan-out of a change
 * serializes it once, not once per stream.
 */
function frameOf(
  cache: WeakMap<ChangeEvent, Map<string, Uint8Array>>,
  event: ChangeEvent,
  message: StreamMessage,
  wantsChanges: boolean,
  clientId: string | undefined,
): Uint8Array {
  const asRows = message.kind === "changes" && wantsChanges;
  // The writer's own stream also learns how far its client was processed (L23).
  const lastSeq =
    asRows && clientId !== undefined && event.writer?.clientId === clientId
      ? event.writer.lastSeq
      : undefined;
  // A stream that sees only some of the rows, or the writer's, sends a frame of its own.
  const shared =
    lastSeq === undefined && (!asRows || message.rows.length === (event.rows?.length ?? -1));
  const key = asRows ? `c${message.from}` : `p${message.cursor}`;
  let frames = cache.get(event);
  const hit = shared ? frames?.get(key) : undefined;
  if (hit) return hit;
  let frame: Uint8Array;
  if (message.kind === "changes" && asRows) {
    const { kind: _kind, ...changes } = message;
    const body = lastSeq === undefined ? changes : { ...changes, lastSeq };
    frame = sseFrame(STREAM_EVENTS.changes, JSON.stringify(body));
  } else {
    frame = sseFrame(STREAM_EVENTS.poke, JSON.stringify({ cursor: message.cursor }));
  }
  if (shared) {
    if (!frames) {
      frames = new Map();
      cache.set(event, frames);
    }
    frames.set(key, frame);
  }
  return frame;
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
  const frames = new WeakMap<ChangeEvent, Map<string, Uint8Array>>();
  const ping = sseFrame(STREAM_EVENTS.ping, "{}");
  app.get("/", async (c) => {
    const user = c.get("user");
    const wantsChanges = c.req.query(STREAM_CHANGES_PARAM) === "1";
    const named = c.req.query(STREAM_CLIENT_PARAM);
    const clientId =
      named === undefined ? undefined : parseWith(uuidSchema, named, "stream clientId");
    // Before the stream opens: a database under another user's session must not take rows in.
    if (clientId !== undefined) await processedSeq(db, clientId, user.id);
    let finish = () => {};
    const done = new Promise<void>((resolve) => {
      finish = resolve;
    });
    const body = new SseBody(() => finish());
    const run = async () => {
      let lists = await listIdsOf(db, user.id);
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
            if (message && !body.write(frameOf(frames, event, message, wantsChanges, clientId)))
              finish();
          })
          .catch(() => finish());
      };
      const unsubscribe = notifier.subscribe(onChange);
      const unregister = registry.add(() => finish());
      const heartbeat = setInterval(() => {
        if (!body.write(ping)) finish();
      }, config.heartbeatMs);
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
        const cursor = await start;
        body.write(sseFrame(STREAM_EVENTS.poke, JSON.stringify({ cursor }), config.streamRetryMs));
        await done;
      } finally {
        clearInterval(heartbeat);
        unsubscribe();
        unregister();
      }
    };
    // Whatever ends the stream (disconnect, shutdown, a failed read) closes the response.
    run()
      .catch(() => undefined)
      .finally(() => body.close());
    return c.body(body.stream, 200, {
      "Content-Type": "text/event-stream",
      "Cache-Control": "no-cache, no-transform",
      Connection: "keep-alive",
      "Transfer-Encoding": "chunked",
      "X-Accel-Buffering": "no",
    });
  });
  return app;
}
