import type { Notices } from "./notices.js";

/**
 * Rule L16: one warning per push that found conflicts, withdrawn once every conflict it told
 * about is closed (resolved here, in another tab, or replaced and then resolved).
 */
export class ConflictNotices {
  readonly #notices: Notices;
  readonly #open = new Map<string, Set<string>>();

  constructor(notices: Notices) {
    this.#notices = notices;
  }

  announce(keys: readonly string[]): void {
    if (keys.length === 0) return;
    const notice = this.#notices.add(
      "warning",
      `${keys.length} change(s) conflict with someone else's: choose which to keep.`,
    );
    this.#open.set(notice.id, new Set(keys));
  }

  /** Drops the notices whose conflicts are all closed; `open` are the conflicts still open. */
  settle(open: readonly { key: string }[]): void {
    const still = new Set(open.map((conflict) => conflict.key));
    for (const [id, keys] of this.#open) {
      if ([...keys].some((key) => still.has(key))) continue;
      this.#open.delete(id);
      this.#notices.dismiss(id);
    }
  }
}
