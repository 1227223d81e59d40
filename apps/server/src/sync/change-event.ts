import { LIMITS, type Row } from "@sync/protocol";

/** In `listIds`, a poke for every stream (e.g. a NOTIFY payload too large to carry ids). */
export const ALL_LISTS = "*";

/** A row a write left, with the list whose members may see it. */
export interface ChangedRow {
  readonly listId: string;
  readonly row: Row;
}

/** What a committed write touched: the notifier fans this out, streams filter it per user. */
export interface ChangeEvent {
  /** Highest version the write produced. */
  readonly cursor: number;
  /**
   * The highest committed version when the write took the version lock: versions in
   * (prev, cursor] are this write's alone (C1), so a stream that saw the write before it end
   * at `prev` has seen every change up to `cursor`. Absent when unknown.
   */
  readonly prev?: number;
  /** Every row the write left, when there are few enough to carry; absent otherwise. */
  readonly rows?: readonly ChangedRow[];
  /** Lists whose rows changed: their members may see the change. */
  readonly listIds: readonly string[];
  /** Users whose own membership rows changed (join, leave, list creation). */
  readonly userIds: readonly string[];
  /** For a push: its client and that client's high-water mark after it (L23). */
  readonly writer?: Writer;
}

export interface Writer {
  readonly clientId: string;
  readonly lastSeq: number;
}

/** Accumulates what one transaction changed. */
export class ChangeCollector {
  cursor = 0;
  prev: number | undefined;
  writer: Writer | undefined;
  readonly listIds = new Set<string>();
  readonly userIds = new Set<string>();
  #rows: ChangedRow[] | undefined;

  add(version: number, listId: string | undefined, userId?: string): void {
    this.cursor = Math.max(this.cursor, version);
    if (listId !== undefined) this.listIds.add(listId);
    if (userId !== undefined) this.userIds.add(userId);
  }

  /**
   * The write will report every row it leaves through {@link addRow}: only then may the event
   * carry rows, since a stream presents them as everything the write changed.
   */
  trackRows(): void {
    this.#rows = [];
  }

  /** A final row of the write; past the stream limit (or without a list) rows are dropped. */
  addRow(listId: string | undefined, row: Row): void {
    if (!this.#rows) return;
    if (listId === undefined || this.#rows.length >= LIMITS.maxStreamRows) {
      this.#rows = undefined;
      return;
    }
    this.#rows.push({ listId, row });
  }

  event(): ChangeEvent | undefined {
    if (this.cursor === 0) return undefined;
    return {
      cursor: this.cursor,
      ...(this.prev !== undefined ? { prev: this.prev } : {}),
      ...(this.#rows && this.prev !== undefined ? { rows: this.#rows } : {}),
      listIds: [...this.listIds],
      userIds: [...this.userIds],
      ...(this.writer ? { writer: this.writer } : {}),
    };
  }
}
