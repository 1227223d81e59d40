import type { Notice, NoticeLevel } from "@sync/sync-client";

/** A message the app itself raises (the sync client raises its own); deletes carry an undo. */
export interface UiNotice {
  readonly id: string;
  readonly level: NoticeLevel;
  readonly message: string;
  readonly undo?: () => Promise<void>;
  readonly at: number;
}

export interface UiNoticeStore {
  all(): readonly UiNotice[];
  add(notice: Omit<UiNotice, "id" | "at">): string;
  dismiss(id: string): void;
  subscribe(listener: () => void): () => void;
}

/** Keeps the newest `max` notices; an identical message replaces its older copy. */
export function createUiNoticeStore(now: () => number, max = 4): UiNoticeStore {
  let notices: UiNotice[] = [];
  let next = 1;
  const listeners = new Set<() => void>();
  const emit = () => {
    for (const l of listeners) l();
  };
  return {
    all: () => notices,
    add(input) {
      const id = `ui-${next++}`;
      const kept = notices.filter((n) => n.message !== input.message || n.undo !== undefined);
      notices = [...kept, { ...input, id, at: now() }].slice(-max);
      emit();
      return id;
    },
    dismiss(id) {
      const before = notices.length;
      notices = notices.filter((n) => n.id !== id);
      if (notices.length !== before) emit();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** Notices with the same level and message, in order of their first appearance. */
export function groupNotices(notices: readonly Notice[]): Array<{ first: Notice; ids: string[] }> {
  const groups = new Map<string, { first: Notice; ids: string[] }>();
  for (const notice of notices) {
    const key = `${notice.level}\u0000${notice.message}`;
    const group = groups.get(key);
    if (group) group.ids.push(notice.id);
    else groups.set(key, { first: notice, ids: [notice.id] });
  }
  return [...groups.values()];
}
