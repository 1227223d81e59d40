import type { ViewRecord } from "@sync/sync-client";

/** Typed reads of view records: the UI never trusts a field to have the shape it expects. */
export function text(record: ViewRecord, field: string, fallback = ""): string {
  const value = record.fields[field];
  return typeof value === "string" ? value : fallback;
}

export function count(record: ViewRecord, field: string, fallback: number): number {
  const value = record.fields[field];
  return typeof value === "number" && Number.isFinite(value) ? value : fallback;
}

export function flag(record: ViewRecord, field: string, fallback = false): boolean {
  const value = record.fields[field];
  return typeof value === "boolean" ? value : fallback;
}

/** UUIDv7 ids sort by creation time, so id order is the order people added things in. */
export function byId(a: ViewRecord, b: ViewRecord): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

export interface ItemView {
  readonly id: string;
  readonly text: string;
  readonly checked: boolean;
  readonly qty: number;
  readonly pending: boolean;
  /**
   * Username of whoever made the item's last confirmed change (the server's `changedBy`),
   * when they are a member the device knows; null otherwise (an item from before the server
   * recorded it, or a writer who left the list).
   */
  readonly changedBy: string | null;
}

/** User id to username, from the memberships the device has: the names the app can show. */
export type MemberNames = ReadonlyMap<string, string>;

export function toItemView(record: ViewRecord, names: MemberNames = new Map()): ItemView {
  const writer = record.fields.changedBy;
  return {
    id: record.id,
    text: text(record, "text"),
    checked: flag(record, "checked"),
    qty: Math.max(0, count(record, "qty", 1)),
    pending: record.pending,
    changedBy: typeof writer === "string" ? (names.get(writer) ?? null) : null,
  };
}

export function itemsOfList(
  items: readonly ViewRecord[],
  listId: string,
  names: MemberNames = new Map(),
): ItemView[] {
  return items
    .filter((r) => !r.deleted && r.fields.listId === listId)
    .sort(byId)
    .map((r) => toItemView(r, names));
}

export interface ListSummary {
  readonly id: string;
  readonly title: string;
  readonly total: number;
  readonly remaining: number;
  readonly pending: boolean;
}

export function listSummaries(
  lists: readonly ViewRecord[],
  items: readonly ViewRecord[],
): ListSummary[] {
  const totals = new Map<string, { total: number; remaining: number }>();
  for (const item of items) {
    const listId = item.fields.listId;
    if (item.deleted || typeof listId !== "string") continue;
    const entry = totals.get(listId) ?? { total: 0, remaining: 0 };
    entry.total += 1;
    if (!flag(item, "checked")) entry.remaining += 1;
    totals.set(listId, entry);
  }
  return lists
    .filter((l) => !l.deleted)
    .sort(byId)
    .map((l) => ({
      id: l.id,
      title: text(l, "title", "Untitled list"),
      total: totals.get(l.id)?.total ?? 0,
      remaining: totals.get(l.id)?.remaining ?? 0,
      pending: l.pending,
    }));
}

export function summaryLine(summary: ListSummary): string {
  if (summary.total === 0) return "No items";
  if (summary.remaining === 0) return `All ${summary.total} done`;
  return `${summary.remaining} of ${summary.total} to get`;
}

export function membersOfList(memberships: readonly ViewRecord[], listId: string): string[] {
  return memberships
    .filter((m) => !m.deleted && m.fields.listId === listId)
    .sort(byId)
    .map((m) => text(m, "username", "someone"));
}

export function memberNames(memberships: readonly ViewRecord[], listId: string): MemberNames {
  const names = new Map<string, string>();
  for (const m of memberships) {
    const userId = m.fields.userId;
    if (m.deleted || m.fields.listId !== listId || typeof userId !== "string") continue;
    names.set(userId, text(m, "username", "someone"));
  }
  return names;
}

/** The step a quantity button may take: the UI never takes a quantity below zero. */
export function allowedDelta(qty: number, inFlight: number, delta: number): number {
  return qty + inFlight + delta < 0 ? 0 : delta;
}

/** What an edit box may save: trimmed, non-empty, changed. `null` means "nothing to save". */
export function editedText(before: string, input: string, maxLength: number): string | null {
  const next = input.trim().slice(0, maxLength);
  return next === "" || next === before ? null : next;
}
