import { z } from "zod";
import { LIMITS } from "./limits.js";
import { rowSchema } from "./operation.js";
import { cursorSchema, uuidSchema } from "./primitives.js";

const intFromQuery = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d{1,16}$/, "expected a non-negative integer")
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));

/** Query string of GET /api/sync/pull. */
export const pullQuerySchema = z.strictObject({
  cursor: intFromQuery(0, Number.MAX_SAFE_INTEGER).default(0),
  limit: intFromQuery(1, LIMITS.maxPullLimit).default(LIMITS.defaultPullLimit),
  /** The caller's sync client: its last page then says how far the server processed it. */
  clientId: uuidSchema.optional(),
});
export type PullQuery = z.infer<typeof pullQuerySchema>;

export const pullResponseSchema = z.strictObject({
  /** Latest state of each changed row, in cursor (version) order. */
  rows: z.array(rowSchema),
  /** Pass back as `cursor` on the next pull: the version of the last row, or the input cursor. */
  cursor: cursorSchema,
  hasMore: z.boolean(),
  serverTime: z.number().int().nonnegative(),
  /**
   * On the last page of a pull that named its `clientId`: the highest seq of that client the
   * server had processed (applied or rejected) in the page's snapshot, so its effects are in
   * the rows pulled up to `cursor` and the client stops replaying those operations (L23).
   */
  lastSeq: z.number().int().nonnegative().optional(),
});
export type PullResponse = z.infer<typeof pullResponseSchema>;
