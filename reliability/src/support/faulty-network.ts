import { ErrorCode, errorEnvelope } from "@sync/protocol";

/** One injected fault; it applies to the next request the device sends. */
export type Fault =
  | { readonly kind: "drop-request" }
  | { readonly kind: "drop-response" }
  | { readonly kind: "server-error"; readonly status: 500 | 502 | 503 }
  | { readonly kind: "error-after-commit"; readonly status: 500 | 502 }
  | { readonly kind: "unauthorized" }
  | { readonly kind: "rate-limited"; readonly retryAfterS: 0 | 1 }
  | { readonly kind: "delay"; readonly ms: number }
  | { readonly kind: "duplicate" }
  | { readonly kind: "reorder" };

export type FaultKind = Fault["kind"];

/** Where the device's requests go: undefined while the server is down (connection refused). */
export type Upstream = () => string | undefined;

/** Placeholder origin the clients are built with; the network maps it to the live server. */
export const SIM_ORIGIN = "http://sim.invalid";

const REORDER_BOUND_MS = 100;

/**
 * A device's network: offline switch, a queue of faults for the next requests, and "kill"
 * generations (a response that arrives for a killed engine is lost, as in a closed tab).
 * `fetch` is for push and pull; `streamFetch` (SSE) only goes offline, never gets faults.
 */
export class FaultyNetwork {
  offline = false;
  readonly pending: Fault[] = [];
  readonly injected = new Map<FaultKind, number>();
  requests = 0;
  pushes = 0;
  /** Requests refused because the server was unreachable (down or restarting). */
  failedWhileDown = 0;
  inFlightPushes = 0;
  #generation = 0;
  #waitingReorder: (() => void)[] = [];
  readonly #upstream: Upstream;
  /** One-shot: takes over the next push (crash tests decide there when the server dies). */
  interceptPush: ((url: string, init: RequestInit | undefined) => Promise<Response>) | undefined;

  constructor(upstream: Upstream) {
    this.#upstream = upstream;
  }

  inject(fault: Fault): void {
    this.pending.push(fault);
  }

  clearFaults(): void {
    this.pending.length = 0;
    for (const release of this.#waitingReorder.splice(0)) release();
  }

  /** Responses of requests sent before this call never reach their caller. */
  kill(): void {
    this.#generation++;
  }

  #target(input: RequestInfo | URL): string {
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    const base = this.#upstream();
    if (this.offline) throw new TypeError("fetch failed: offline");
    if (!base) {
      this.failedWhileDown++;
      throw new TypeError("fetch failed: connect ECONNREFUSED");
    }
    return url.startsWith(SIM_ORIGIN) ? base + url.slice(SIM_ORIGIN.length) : url;
  }

  streamFetch: typeof fetch = async (input, init) => fetch(this.#target(input), init);

  fetch: typeof fetch = async (input, init) => {
    const url = this.#target(input);
    this.requests++;
    // A new request releases one held back by "reorder": it overtakes it.
    for (const release of this.#waitingReorder.splice(0)) release();
    const generation = this.#generation;
    const isPush = url.includes("/api/sync/push");
    if (isPush) {
      this.pushes++;
      this.inFlightPushes++;
    }
    const intercept = isPush ? this.interceptPush : undefined;
    if (intercept) this.interceptPush = undefined;
    try {
      const response = await (intercept ? intercept(url, init) : this.#send(url, init));
      if (generation !== this.#generation) throw new TypeError("fetch failed: engine was killed");
      return response;
    } finally {
      if (isPush) this.inFlightPushes--;
    }
  };

  async #send(url: string, init: RequestInit | undefined): Promise<Response> {
    const fault = this.pending.shift();
    if (fault) this.injected.set(fault.kind, (this.injected.get(fault.kind) ?? 0) + 1);
    switch (fault?.kind) {
      case undefined:
        return fetch(url, init);
      case "drop-request":
        throw new TypeError("fetch failed: request dropped");
      case "drop-response": {
        const res = await fetch(url, init);
        await res.arrayBuffer();
        throw new TypeError("fetch failed: response dropped");
      }
      case "server-error":
        return envelope(fault.status, ErrorCode.INTERNAL, "injected server error");
      case "error-after-commit": {
        const res = await fetch(url, init);
        await res.arrayBuffer();
        return envelope(fault.status, ErrorCode.INTERNAL, "injected error after commit");
      }
      case "unauthorized":
        return envelope(401, ErrorCode.UNAUTHORIZED, "injected: session expired");
      case "rate-limited":
        return envelope(429, ErrorCode.RATE_LIMITED, "injected: slow down", {
          "retry-after": String(fault.retryAfterS),
        });
      case "delay":
        await new Promise((resolve) => setTimeout(resolve, fault.ms));
        return fetch(url, init);
      case "duplicate": {
        const [first, second] = await Promise.all([fetch(url, init), fetch(url, init)]);
        await second.arrayBuffer();
        return first;
      }
      case "reorder":
        await new Promise<void>((resolve) => {
          this.#waitingReorder.push(resolve);
          setTimeout(resolve, REORDER_BOUND_MS);
        });
        return fetch(url, init);
    }
  }
}

function envelope(
  status: number,
  code: ErrorCode,
  message: string,
  headers: Record<string, string> = {},
): Response {
  return new Response(JSON.stringify(errorEnvelope(code, message)), {
    status,
    headers: { "content-type": "application/json", ...headers },
  });
}
