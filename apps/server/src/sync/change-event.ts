/** In `listIds`, a poke for every stream (e.g. a NOTIFY payload too large to carry ids). */
export const ALL_LISTS = "*";

/** What a committed write touched: the notifier fans this out, streams filter it per user. */
export interface ChangeEvent {
  /** Highest version the write produced. */
  readonly cursor: number;
  /** Lists whose rows changed: their members may see the change. */
  readonly listIds: readonly string[];
  /** Users whose own membership rows changed (join, leave, list creation). */
  readonly userIds: readonly string[];
}

/** Accumulates what one transaction changed. */
export class ChangeCollector {
  cursor = 0;
  readonly listIds = new Set<string>();
  readonly userIds = new Set<string>();

  add(version: number, listId: string | undefined, userId?: string): void {
    this.cursor = Math.max(this.cursor, version);
    if (listId !== undefined) this.listIds.add(listId);
    if (userId !== undefined) this.userIds.add(userId);
  }

  event(): ChangeEvent | undefined {
    if (this.cursor === 0) return undefined;
    return { cursor: this.cursor, listIds: [...this.listIds], userIds: [...this.userIds] };
  }
}
