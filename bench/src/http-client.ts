import {
  type Operation,
  PROTOCOL_VERSION,
  type PullResponse,
  type PushResponse,
  pullResponseSchema,
  pushResponseSchema,
} from "@sync/protocol";

/** A minimal client of the sync API over fetch, counting the bytes it moves. */
export interface ApiClient {
  push(ops: readonly Operation[]): Promise<PushResponse>;
  pull(cursor: number, limit?: number): Promise<{ response: PullResponse; bytes: number }>;
  readonly bytes: { sent: number; received: number };
}

export function createApiClient(
  baseUrl: string,
  token: string,
  options: { validate?: boolean } = {},
): ApiClient {
  const headers = { authorization: `Bearer ${token}` };
  const bytes = { sent: 0, received: 0 };
  const validate = options.validate ?? false;
  return {
    bytes,
    async push(ops) {
      const first = ops[0];
      if (!first) throw new Error("push needs at least one operation");
      const body = JSON.stringify({
        protocolVersion: PROTOCOL_VERSION,
        clientId: first.clientId,
        ops,
      });
      bytes.sent += Buffer.byteLength(body);
      const res = await fetch(`${baseUrl}/api/sync/push`, {
        method: "POST",
        headers: { ...headers, "content-type": "application/json" },
        body,
      });
      const text = await res.text();
      bytes.received += Buffer.byteLength(text);
      if (!res.ok) throw new Error(`push answered ${res.status}: ${text.slice(0, 300)}`);
      const json = JSON.parse(text) as PushResponse;
      return validate ? pushResponseSchema.parse(json) : json;
    },
    async pull(cursor, limit) {
      const query = `cursor=${cursor}${limit === undefined ? "" : `&limit=${limit}`}`;
      const res = await fetch(`${baseUrl}/api/sync/pull?${query}`, { headers });
      const text = await res.text();
      const size = Buffer.byteLength(text);
      bytes.received += size;
      if (!res.ok) throw new Error(`pull answered ${res.status}: ${text.slice(0, 300)}`);
      const json = JSON.parse(text) as PullResponse;
      return { response: validate ? pullResponseSchema.parse(json) : json, bytes: size };
    },
  };
}

/** Counts results by status; a benchmark checks these so a broken server cannot look fast. */
export function countStatuses(responses: readonly PushResponse[]): Record<string, number> {
  const counts: Record<string, number> = { applied: 0, duplicate: 0, rejected: 0 };
  for (const response of responses) {
    for (const result of response.results) counts[result.status] = (counts[result.status] ?? 0) + 1;
  }
  return counts;
}
