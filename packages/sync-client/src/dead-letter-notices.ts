import type { Notices } from "./notices.js";
import type { PendingOp } from "./pending-op.js";

/** One notice per group: a rejected create and the edits that failed with it (rule C7). */
export function announceDeadLetters(
  notices: Notices,
  letters: readonly { item: PendingOp; reason: { message: string }; groupId?: string }[],
): void {
  const groups = new Map<string, typeof letters>();
  for (const letter of letters) {
    const group = letter.groupId ?? `${letter.item.opId}`;
    groups.set(group, [...(groups.get(group) ?? []), letter]);
  }
  for (const group of groups.values()) {
    const first = group[0];
    if (!first) continue;
    const what =
      group.length === 1
        ? `A change to ${first.item.entity} was`
        : `${group.length} changes to ${first.item.entity} were`;
    notices.add(
      "error",
      `${what} refused by the server (${first.reason.message}) and undone. See failed changes to retry or discard.`,
    );
  }
}
