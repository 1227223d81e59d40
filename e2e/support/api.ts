/** Black-box access to the server's state for assertions: HTTP with a bearer token, nothing else. */

export interface Session {
  readonly user: { readonly id: string; readonly username: string };
  readonly token: string;
}

/** A row as GET /api/sync/pull returns it (latest state of each changed record). */
export interface ServerRow {
  readonly entity: string;
  readonly id: string;
  readonly version: number;
  readonly fields: Readonly<Record<string, unknown>>;
  readonly deleted: boolean;
}

interface PullPage {
  readonly rows: ServerRow[];
  readonly cursor: number;
  readonly hasMore: boolean;
}

export interface ServerApi {
  /** Every row this user can see, from cursor 0, all pages. */
  rows(): Promise<ServerRow[]>;
  /** Live (not deleted) items, optionally only those whose text is exactly `text`. */
  items(text?: string): Promise<ServerRow[]>;
  /** Live notes (one per list, id = list id). */
  notes(): Promise<ServerRow[]>;
}

export function serverApi(baseUrl: string, session: Session): ServerApi {
  const rows = async () => {
    const all: ServerRow[] = [];
    let cursor = 0;
    for (;;) {
      const res = await fetch(`${baseUrl}/api/sync/pull?cursor=${cursor}&limit=1000`, {
        headers: { authorization: `Bearer ${session.token}` },
      });
      if (!res.ok) throw new Error(`pull failed: HTTP ${res.status} ${await res.text()}`);
      const page = (await res.json()) as PullPage;
      all.push(...page.rows);
      if (!page.hasMore || page.cursor === cursor) return all;
      cursor = page.cursor;
    }
  };
  return {
    rows,
    items: async (text) =>
      (await rows()).filter(
        (row) =>
          row.entity === "item" && !row.deleted && (text === undefined || row.fields.text === text),
      ),
    notes: async () => (await rows()).filter((row) => row.entity === "note" && !row.deleted),
  };
}

/** Unique per test and run, within the protocol's username rules (3-40 of [a-zA-Z0-9_.-]). */
export function uniqueUsername(name: string): string {
  return `${name}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}
