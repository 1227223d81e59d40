import {
  COMPACT_PUSH_CONTENT_TYPE,
  encodeCompactPush,
  type PullResponse,
  type PushRequest,
  type PushResponse,
  pullResponseSchema,
  pushResponseSchema,
} from "@sync/protocol";
import { CLIENT_ERROR_CODES, SyncClientError } from "./errors.js";

/** A failed HTTP exchange: `status` 0 means no answer at all (offline, DNS, CORS). */
export class TransportError extends SyncClientError {
  override name = "TransportError";
  readonly status: number;
  readonly retryAfter: string | null;

  constructor(
    status: number,
    code: string,
    message: string,
    options: { retryAfter?: string | null; cause?: unknown } = {},
  ) {
    super(code, message, options.cause === undefined ? {} : { cause: options.cause });
    this.status = status;
    this.retryAfter = options.retryAfter ?? null;
  }
}

/** A response together with the local times around the exchange, for clock-offset estimation. */
export interface Timed<T> {
  readonly body: T;
  readonly sentAt: number;
  readonly receivedAt: number;
}

/** Port: the sync API. The HTTP adapter below is the real one. */
export interface Transport {
  push(request: PushRequest): Promise<Timed<PushResponse>>;
  /** With `clientId`, the last page says how far the server processed that client (L23). */
  pull(cursor: number, limit: number, clientId?: string): Promise<Timed<PullResponse>>;
}

export interface HttpTransportOptions {
  baseUrl: string;
  fetch: typeof fetch;
  headers?: () => Record<string, string>;
  now: () => number;
  /**
   * How pushes are sent first (default "compact", see docs/protocol.md). A server that answers
   * 415 to the compact form gets JSON from then on, for the life of this transport.
   */
  pushEncoding?: "compact" | "json";
}

const JSON_TYPE = "application/json";

export function createHttpTransport(options: HttpTransportOptions): Transport {
  const call = async <T>(
    path: string,
    init: RequestInit & { contentType?: string },
    parse: (body: unknown) => { success: true; data: T } | { success: false; error: unknown },
  ): Promise<Timed<T>> => {
    const { contentType = JSON_TYPE, ...rest } = init;
    const headers: Record<string, string> = { ...options.headers?.() };
    if (rest.body !== undefined) headers["content-type"] = contentType;
    const sentAt = options.now();
    let response: Response;
    try {
      response = await options.fetch(`${options.baseUrl}${path}`, {
        ...rest,
        headers,
        credentials: "include",
      });
    } catch (error) {
      throw new TransportError(0, CLIENT_ERROR_CODES.network, messageOf(error), { cause: error });
    }
    const receivedAt = options.now();
    const body = await readJson(response);
    if (!response.ok) {
      const envelope = errorOf(body);
      throw new TransportError(
        response.status,
        envelope?.code ?? CLIENT_ERROR_CODES.http,
        envelope?.message ?? `HTTP ${response.status}`,
        { retryAfter: response.headers.get("retry-after") },
      );
    }
    const parsed = parse(body);
    if (!parsed.success) {
      throw new TransportError(
        response.status,
        CLIENT_ERROR_CODES.badResponse,
        `unexpected answer from ${path}`,
        { cause: parsed.error },
      );
    }
    return { body: parsed.data, sentAt, receivedAt };
  };

  const parsePush = (body: unknown) => pushResponseSchema.safeParse(body);
  let compact = (options.pushEncoding ?? "compact") === "compact";

  return {
    async push(request) {
      const bytes = compact ? encodeOrUndefined(request) : undefined;
      if (bytes) {
        try {
          const init = { method: "POST", body: bytes, contentType: COMPACT_PUSH_CONTENT_TYPE };
          return await call("/api/sync/push", init, parsePush);
        } catch (error) {
          // 415 is decided before anything is applied: an older server (or a proxy) does not
          // take the compact form, so the same batch goes again as JSON, and so do later ones.
          if (!(error instanceof TransportError && error.status === 415)) throw error;
          compact = false;
        }
      }
      return call("/api/sync/push", { method: "POST", body: JSON.stringify(request) }, parsePush);
    },
    pull: (cursor, limit, clientId) =>
      call(`/api/sync/pull?${pullQuery(cursor, limit, clientId)}`, { method: "GET" }, (body) =>
        pullResponseSchema.safeParse(body),
      ),
  };
}

function pullQuery(cursor: number, limit: number, clientId: string | undefined): string {
  const query = `cursor=${cursor}&limit=${limit}`;
  return clientId === undefined ? query : `${query}&clientId=${encodeURIComponent(clientId)}`;
}

/** The compact body, or undefined for a request it cannot carry exactly: that one goes as JSON. */
function encodeOrUndefined(request: PushRequest): Uint8Array<ArrayBuffer> | undefined {
  try {
    return encodeCompactPush(request);
  } catch {
    return undefined;
  }
}

async function readJson(response: Response): Promise<unknown> {
  const text = await response.text();
  if (text === "") return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    // A proxy's HTML error page: the status code carries the meaning.
    return null;
  }
}

function errorOf(body: unknown): { code: string; message: string } | undefined {
  if (!body || typeof body !== "object" || !("error" in body)) return undefined;
  const error = (body as { error: unknown }).error;
  if (!error || typeof error !== "object") return undefined;
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (typeof code !== "string") return undefined;
  return { code, message: typeof message === "string" ? message : code };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
