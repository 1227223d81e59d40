import type { Queryable } from "../db/types.js";
import type { ChangeEvent } from "../sync/change-event.js";

/**
 * Fan-out of committed changes to every open stream, in this process or (Postgres adapter)
 * in every server process on the database. `publish` is called after commit; delivery is
 * best effort, which is safe because pull is cursor-based (a missed poke costs nothing).
 * `close()` stops delivery and releases the connection it listens on.
 */
export interface Notifier {
  publish(event: ChangeEvent): Promise<void>;
  /**
   * Announces the change as part of the transaction running on `db`, delivered when (and only
   * if) it commits, in commit order. Optional: without it the caller publishes after commit.
   */
  publishWithin?(db: Queryable, event: ChangeEvent): Promise<void>;
  /** Returns the unsubscribe function. */
  subscribe(listener: (event: ChangeEvent) => void): () => void;
  close(): Promise<void>;
}
