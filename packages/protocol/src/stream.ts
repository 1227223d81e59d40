import { z } from "zod";
import { LIMITS } from "./limits.js";
import { rowSchema } from "./operation.js";
import { cursorSchema } from "./primitives.js";

/** SSE event names on GET /api/sync/stream. */
export const STREAM_EVENTS = { poke: "poke", ping: "ping", changes: "changes" } as const;

/** Query parameter of GET /api/sync/stream: `?changes=1` asks for `changes` events. */
export const STREAM_CHANGES_PARAM = "changes";

/**
 * Query parameter of GET /api/sync/stream: the caller's sync client. A client of another user
 * is refused (403 CLIENT_MISMATCH) before the stream opens, as a pull or a push would be.
 */
export const STREAM_CLIENT_PARAM = "clientId";

/** A poke says "something you can see changed; pull from your cursor". */
export const pokeSchema = z.strictObject({ cursor: cursorSchema });
export type Poke = z.infer<typeof pokeSchema>;

/**
 * Sent instead of a poke, to streams that asked for it, when the server can vouch that `rows`
 * are every change the caller may see with a version in (from, cursor]. A client whose cursor
 * is at least `from` applies them as a pull page ending at `cursor`; any other client pulls.
 */
export const changesSchema = z.strictObject({
  from: cursorSchema,
  cursor: cursorSchema,
  rows: z.array(rowSchema).max(LIMITS.maxStreamRows),
  /**
   * On a stream opened with `clientId`, when the change is that client's own push: how far the
   * server processed the client, as a pull's `lastSeq` (L23).
   */
  lastSeq: z.number().int().nonnegative().optional(),
});
export type Changes = z.infer<typeof changesSchema>;
