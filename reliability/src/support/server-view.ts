import type { PullResponse, Row } from "@sync/protocol";

export interface RecordSnapshot {
  readonly entity: string;
  readonly id: string;
  readonly fields: Readonly<Record<string, unknown>>;
  readonly deleted: boolean;
}

/** Every row the user may see, from cursor 0, all pages: the server's view for that user. */
export async function pullAll(
  baseUrl: string,
  token: string,
): Promise<{ rows: Row[]; cursor: number }> {
  const rows: Row[] = [];
  let cursor = 0;
  for (;;) {
    const res = await fetch(`${baseUrl}/api/sync/pull?cursor=${cursor}&limit=1000`, {
      headers: { authorization: `Bearer ${token}` },
    });
    if (res.status !== 200) throw new Error(`pull ${res.status}: ${await res.text()}`);
    const page = (await res.json()) as PullResponse;
    rows.push(...page.rows);
    cursor = page.cursor;
    if (!page.hasMore) break;
  }
  // Pages may repeat a row that changed meanwhile: keep its newest version.
  const latest = new Map<string, Row>();
  for (const row of rows) {
    const key = `${row.entity}/${row.id}`;
    const seen = latest.get(key);
    if (!seen || seen.version <= row.version) latest.set(key, row);
  }
  return { rows: [...latest.values()], cursor };
}

/** Canonical, order-independent form for comparing views. */
export function snapshot(records: readonly RecordSnapshot[]): RecordSnapshot[] {
  return records
    .map((r) => ({ entity: r.entity, id: r.id, fields: sortKeys(r.fields), deleted: r.deleted }))
    .sort((a, b) => (a.entity + a.id < b.entity + b.id ? -1 : 1));
}

function sortKeys(fields: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(fields).sort(([a], [b]) => (a < b ? -1 : 1)));
}
