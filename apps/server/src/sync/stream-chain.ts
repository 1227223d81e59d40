import type { Changes, Row } from "@sync/protocol";
import { ALL_LISTS, type ChangeEvent } from "./change-event.js";

/** What one stream sends for a change: nothing, a poke (pull), or the rows themselves. */
export type StreamMessage =
  | { readonly kind: "poke"; readonly cursor: number }
  | ({ readonly kind: "changes" } & Changes);

export interface StreamViewer {
  /** May this stream's user see rows of the list? */
  sees(listId: string): boolean;
  /** Did the change touch this user's own memberships (what they may see changes)? */
  readonly ownMembershipChanged: boolean;
}

/**
 * Decides, per stream, whether a change can travel as rows (S5). A stream may send rows for
 * (from, cursor] only if it saw every write committed in that range: each event names the
 * committed head it started from (`prev`, read under the version lock), so the events form a
 * chain, and a missing, late or unchained event breaks it. After a break the stream pokes (the
 * client pulls, which is always correct) and the chain restarts at that event.
 */
export class StreamChain {
  /** Every write up to here was seen, in order. */
  #head: number;
  /** Rows sent next are vouched for from here: everything visible up to it was announced. */
  #base: number;

  constructor(start: number) {
    this.#head = start;
    this.#base = start;
  }

  next(event: ChangeEvent, viewer: StreamViewer): StreamMessage | undefined {
    const visible =
      viewer.ownMembershipChanged ||
      event.listIds.some((id) => id === ALL_LISTS || viewer.sees(id));
    const chained = event.prev !== undefined && event.prev === this.#head;
    if (!chained) {
      // Already covered (a late or repeated delivery): a pull will find it if it is new.
      if (event.cursor <= this.#head) return visible ? poke(event.cursor) : undefined;
      // A gap: something committed unseen. Poke even if this write is invisible, so the
      // client pulls past the gap, and restart the chain here.
      this.#head = event.cursor;
      this.#base = event.cursor;
      return poke(event.cursor);
    }
    this.#head = event.cursor;
    if (!visible) return undefined;
    const from = this.#base;
    this.#base = event.cursor;
    const rows = viewer.ownMembershipChanged ? undefined : visibleRows(event, viewer);
    if (!rows) return poke(event.cursor);
    return { kind: "changes", from, cursor: event.cursor, rows };
  }
}

const poke = (cursor: number): StreamMessage => ({ kind: "poke", cursor });

function visibleRows(event: ChangeEvent, viewer: StreamViewer): Row[] | undefined {
  if (!event.rows || event.listIds.includes(ALL_LISTS)) return undefined;
  return event.rows.filter((r) => viewer.sees(r.listId)).map((r) => r.row);
}
