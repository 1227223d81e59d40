import { applyOperation, type EntitySchema, validateOperation } from "@sync/entities";
import {
  decodeCompactPush,
  type ErrorCode,
  errorEnvelope,
  type Operation,
  type OpResult,
  pushRequestSchema,
  type Row,
} from "@sync/protocol";

/**
 * A small in-process stand-in for apps/server's sync API, for unit tests of the engine: the
 * same validate/apply merge, per-op results, dedup by opId, cursor pull, 401 and
 * RESET_REQUIRED. Integration tests use the real server (startTestServer) instead.
 */
export interface FakeServer {
  readonly fetch: typeof fetch;
  readonly rows: Map<string, Row>;
  /** Make the next pushes reject matching operations with this code. */
  rejectWhen(predicate: ((op: Operation) => ErrorCode | undefined) | null): void;
  setAuthorized(value: boolean): void;
  /** Pulls from a cursor below this answer 409 RESET_REQUIRED (tombstone GC). */
  setGcCursor(cursor: number): void;
  /** Deletes a row entirely (as a GC of a tombstone would). */
  dropRow(entity: string, id: string): void;
  /** Stores a row the server wrote itself (a membership change), with the next version. */
  putRow(row: Omit<Row, "version">): Row;
  /** Re-stamps matching operations with the returned HLC, as the server does for clocks far ahead. */
  restampWhen(stamp: ((op: Operation) => string | undefined) | null): void;
  pushes: number;
}

export function createFakeServer(schema: EntitySchema, now: () => number = Date.now): FakeServer {
  const rows = new Map<string, Row>();
  const seen = new Map<
    string,
    { status: "applied" | "rejected"; code?: ErrorCode; message?: string; key: string }
  >();
  let version = 0;
  let authorized = true;
  let gcCursor = 0;
  let rejecter: ((op: Operation) => ErrorCode | undefined) | null = null;
  let restamper: ((op: Operation) => string | undefined) | null = null;

  const json = (status: number, body: unknown): Response =>
    new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });

  const push = (body: unknown): Response => {
    const parsed = pushRequestSchema.safeParse(body);
    if (!parsed.success) return json(400, errorEnvelope("VALIDATION", parsed.error.message));
    const results: OpResult[] = [];
    for (const op of parsed.data.ops) {
      const key = `${op.entity}/${op.id}`;
      const prior = seen.get(op.opId);
      if (prior) {
        const row = rows.get(prior.key);
        results.push({
          opId: op.opId,
          seq: op.seq,
          status: "duplicate",
          original: prior.status,
          ...(prior.code ? { code: prior.code, message: prior.message ?? "" } : {}),
          ...(row ? { row } : {}),
        });
        continue;
      }
      const forced = rejecter?.(op);
      const restamped = restamper?.(op);
      const valid = validateOperation(schema, op);
      const current = rows.get(key);
      const applied = valid.ok
        ? applyOperation(valid.definition, current, op, {
            ...(restamped ? { hlc: restamped } : {}),
            serverValues: {
              createdAt: now(),
              createdBy: "00000000-0000-7000-8000-000000000000",
              inviteCode: "ABCDEFGHIJ",
            },
          })
        : valid;
      if (forced || !applied.ok) {
        const code = forced ?? (applied.ok ? "VALIDATION" : applied.code);
        const message = applied.ok ? "refused by the test" : applied.message;
        seen.set(op.opId, { status: "rejected", code, message, key });
        results.push({ opId: op.opId, seq: op.seq, status: "rejected", code, message });
        continue;
      }
      const row: Row = applied.changed
        ? { ...applied.state, version: ++version }
        : (current as Row);
      rows.set(key, row);
      seen.set(op.opId, { status: "applied", key });
      results.push({
        opId: op.opId,
        seq: op.seq,
        status: "applied",
        row,
        ...(restamped ? { restampedHlc: restamped } : {}),
        ...(applied.conflicts.length > 0 ? { conflicts: [...applied.conflicts] } : {}),
      });
    }
    return json(200, { results, serverTime: now(), cursor: version });
  };

  const pull = (url: URL): Response => {
    const cursor = Number(url.searchParams.get("cursor") ?? "0");
    const limit = Number(url.searchParams.get("limit") ?? "500");
    if (cursor < gcCursor && cursor !== 0) {
      return json(
        409,
        errorEnvelope("RESET_REQUIRED", "cursor is older than the tombstone horizon"),
      );
    }
    const changed = [...rows.values()]
      .filter((r) => r.version > cursor)
      .sort((a, b) => a.version - b.version);
    const page = changed.slice(0, limit);
    const last = page[page.length - 1];
    return json(200, {
      rows: page,
      cursor: last ? last.version : cursor,
      hasMore: changed.length > limit,
      serverTime: now(),
    });
  };

  const server: FakeServer = {
    rows,
    pushes: 0,
    fetch: async (input, init) => {
      const url = new URL(typeof input === "string" ? input : input.toString(), "http://fake.test");
      if (!authorized) return json(401, errorEnvelope("UNAUTHORIZED", "sign in again"));
      if (url.pathname === "/api/sync/push" && init?.method === "POST") {
        server.pushes++;
        const body = init.body;
        return push(
          body instanceof Uint8Array
            ? decodeCompactPush(body)
            : (JSON.parse(String(body)) as unknown),
        );
      }
      if (url.pathname === "/api/sync/pull") return pull(url);
      return json(404, errorEnvelope("NOT_FOUND", url.pathname));
    },
    rejectWhen(predicate) {
      rejecter = predicate;
    },
    setAuthorized(value) {
      authorized = value;
    },
    setGcCursor(cursor) {
      gcCursor = cursor;
    },
    dropRow(entity, id) {
      rows.delete(`${entity}/${id}`);
    },
    putRow(partial) {
      const row: Row = { ...partial, version: ++version };
      rows.set(`${row.entity}/${row.id}`, row);
      return row;
    },
    restampWhen(stamp) {
      restamper = stamp;
    },
  };
  return server;
}

/** A fetch that fails like a browser without network while `offline()` says so. */
export function switchableFetch(inner: typeof fetch): {
  fetch: typeof fetch;
  setOffline(v: boolean): void;
} {
  let offline = false;
  return {
    fetch: (input, init) => {
      if (offline) return Promise.reject(new TypeError("Failed to fetch"));
      return inner(input, init);
    },
    setOffline(value) {
      offline = value;
    },
  };
}
