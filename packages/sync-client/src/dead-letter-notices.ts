import type { Notices } from "./notices.js";
import type { PendingOp } from "./pending-op.js";

interface Letter {
  readonly id: number;
  readonly seq: number;
  readonly item: PendingOp;
  readonly reason: { readonly message: string };
  readonly groupId?: string;
}

/**
 * Rule L16 (with L7): one notice per push that had rejections, covering the rejected operations
 * and the dependents that failed with them. The queue moves them to the dead letters one entry at
 * a time, so a push's notice waits until all its rejected entries have left the queue. Letters
 * of unknown origin (another tab's push, a narrowed batch) are grouped by dead-letter group.
 */
export class RejectionNotices {
  readonly #notices: Notices;
  /** Rejected seqs of this tab's pushes, by push. */
  readonly #pushes = new Map<string, ReadonlySet<number>>();
  readonly #pushOf = new Map<number, string>();

  constructor(notices: Notices) {
    this.#notices = notices;
  }

  recordPush(pushId: string, rejectedSeqs: readonly number[]): void {
    if (rejectedSeqs.length === 0) return;
    this.#pushes.set(pushId, new Set(rejectedSeqs));
    for (const seq of rejectedSeqs) this.#pushOf.set(seq, pushId);
  }

  /**
   * Announces these new dead letters; `pending` are the seqs still queued. Returns the letters
   * held back (their push is not fully dead-lettered yet): pass them again next time.
   */
  announce(letters: readonly Letter[], pending: ReadonlySet<number>): Letter[] {
    const groupPush = new Map<string, string>();
    for (const letter of letters) {
      const push = this.#pushOf.get(letter.seq);
      if (push && letter.groupId) groupPush.set(letter.groupId, push);
    }
    const byNotice = new Map<string, Letter[]>();
    for (const letter of letters) {
      const group = letter.groupId ?? letter.item.opId;
      const key = this.#pushOf.get(letter.seq) ?? groupPush.get(group) ?? group;
      byNotice.set(key, [...(byNotice.get(key) ?? []), letter]);
    }
    const held: Letter[] = [];
    for (const [key, group] of byNotice) {
      const seqs = this.#pushes.get(key);
      if (seqs && [...seqs].some((seq) => pending.has(seq))) {
        held.push(...group);
        continue;
      }
      if (seqs) {
        this.#pushes.delete(key);
        for (const seq of seqs) this.#pushOf.delete(seq);
      }
      this.#notices.add("error", describe(group));
    }
    return held;
  }
}

function describe(group: readonly Letter[]): string {
  const entities = [...new Set(group.map((letter) => letter.item.entity))];
  const reasons = [...new Set(group.map((letter) => letter.reason.message))].join("; ");
  const what =
    group.length === 1
      ? `A change to ${entities[0]} was`
      : entities.length === 1
        ? `${group.length} changes to ${entities[0]} were`
        : `${group.length} changes were`;
  return `${what} refused by the server (${reasons}) and undone. See failed changes to retry or discard.`;
}
