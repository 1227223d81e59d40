import { EventEmitter } from "node:events";
import { rowSchema } from "@sync/protocol";
import { sql as drizzleSql } from "drizzle-orm";
import type postgres from "postgres";
import { z } from "zod";
import { ALL_LISTS, type ChangeEvent } from "../sync/change-event.js";
import type { Notifier } from "./notifier.js";

export const NOTIFY_CHANNEL = "sync_changes";
/** NOTIFY payloads are capped at 8000 bytes; beyond, every stream is poked. */
const MAX_PAYLOAD = 7_900;

const payloadSchema = z.object({
  cursor: z.number().int().nonnegative(),
  prev: z.number().int().nonnegative().optional(),
  rows: z.array(z.object({ listId: z.string(), row: rowSchema })).optional(),
  listIds: z.array(z.string()),
  userIds: z.array(z.string()),
  all: z.boolean().optional(),
  writer: z.object({ clientId: z.string(), lastSeq: z.number().int().nonnegative() }).optional(),
});

/**
 * Postgres LISTEN/NOTIFY notifier: a change pushed to any server process reaches streams on
 * every process. postgres.js keeps a dedicated connection for LISTEN and re-listens after
 * reconnects.
 */
export async function createPgNotifier(sql: postgres.Sql): Promise<Notifier> {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  const listening = await sql.listen(NOTIFY_CHANNEL, (payload) => {
    const parsed = payloadSchema.safeParse(JSON.parse(payload));
    // A payload we cannot read still means "something changed": poke everyone.
    const event: ChangeEvent = parsed.success
      ? parsed.data.all
        ? { cursor: parsed.data.cursor, listIds: [ALL_LISTS], userIds: [] }
        : eventOf(parsed.data)
      : { cursor: 0, listIds: [ALL_LISTS], userIds: [] };
    emitter.emit("change", event);
  });
  return {
    async publish(event) {
      await sql.notify(NOTIFY_CHANNEL, payloadOf(event));
    },
    // NOTIFY in the writing transaction: Postgres delivers it at commit, in commit order, so
    // streams see the writes in version order (S5) and the push saves a round trip.
    async publishWithin(db, event) {
      await db.execute(drizzleSql`select pg_notify(${NOTIFY_CHANNEL}, ${payloadOf(event)})`);
    },
    subscribe(listener) {
      emitter.on("change", listener);
      return () => emitter.off("change", listener);
    },
    async close() {
      emitter.removeAllListeners();
      await listening.unlisten();
    },
  };
}

/** The NOTIFY payload: the event, without its rows if too large, else a poke for everyone. */
function payloadOf(event: ChangeEvent): string {
  let payload = JSON.stringify(event);
  if (Buffer.byteLength(payload) > MAX_PAYLOAD && event.rows) {
    // Too large to carry the rows: streams announce it with a poke instead.
    const { rows: _rows, ...withoutRows } = event;
    payload = JSON.stringify(withoutRows);
  }
  if (Buffer.byteLength(payload) > MAX_PAYLOAD) {
    payload = JSON.stringify({ cursor: event.cursor, listIds: [], userIds: [], all: true });
  }
  return payload;
}

function eventOf({ cursor, prev, rows, listIds, userIds, writer }: z.infer<typeof payloadSchema>) {
  return {
    cursor,
    ...(prev !== undefined ? { prev } : {}),
    ...(rows !== undefined ? { rows } : {}),
    listIds,
    userIds,
    ...(writer !== undefined ? { writer } : {}),
  } satisfies ChangeEvent;
}
