import { ErrorCode } from "@sync/protocol";
import { eq } from "drizzle-orm";
import { clients } from "../db/schema/index.js";
import type { Queryable } from "../db/types.js";
import { ApiError } from "../http/api-error.js";

/**
 * The highest seq of `clientId` the server has processed (applied or rejected), as the
 * caller's snapshot sees it: a push raises it in the transaction that writes its rows, so it
 * is consistent with the rows of the same snapshot. 0 for a client that never pushed; a
 * client of another user is refused, as a push would be (A4), so a database opened under the
 * wrong session neither pulls that user's rows nor moves its cursor past its own.
 */
export async function processedSeq(
  db: Queryable,
  clientId: string,
  userId: string,
): Promise<number> {
  const [client] = await db
    .select({ userId: clients.userId, lastSeq: clients.lastSeq })
    .from(clients)
    .where(eq(clients.clientId, clientId));
  if (!client) return 0;
  if (client.userId !== userId) {
    throw new ApiError(403, ErrorCode.CLIENT_MISMATCH, "this clientId belongs to another user");
  }
  return client.lastSeq;
}
