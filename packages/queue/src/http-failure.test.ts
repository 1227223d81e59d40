import { describe, expect, it } from "vitest";
import { classifyHttpStatus, httpQueueError, parseRetryAfter } from "./http-failure";
import { QueueError } from "./queue-error";

describe("classifyHttpStatus", () => {
  it("[Q3] network errors, 408, 425, 429 and 5xx are transient", () => {
    for (const status of [0, 408, 425, 429, 500, 502, 503, 504, 599]) {
      expect(classifyHttpStatus(status), String(status)).toBe("transient");
    }
  });

  it("[Q5] 401 is auth, even with a Retry-After header", () => {
    expect(classifyHttpStatus(401)).toBe("auth");
    expect(classifyHttpStatus(401, "10")).toBe("auth");
  });

  it("[Q4] other 4xx are permanent", () => {
    for (const status of [400, 403, 404, 409, 413, 422]) {
      expect(classifyHttpStatus(status), String(status)).toBe("permanent");
    }
  });

  it("[Q3] a 4xx with a Retry-After header is transient (rate limiters answer 403 with one)", () => {
    expect(classifyHttpStatus(403, "30")).toBe("transient");
    expect(classifyHttpStatus(403, "  ")).toBe("permanent");
    expect(classifyHttpStatus(403, null)).toBe("permanent");
  });
});

describe("parseRetryAfter", () => {
  const now = Date.parse("2026-01-01T00:00:00Z");

  it("[Q3] reads delay-seconds", () => {
    expect(parseRetryAfter("120", now)).toBe(120_000);
    expect(parseRetryAfter(" 0 ", now)).toBe(0);
  });

  it("[Q3] reads an HTTP date relative to now, never negative", () => {
    expect(parseRetryAfter("Thu, 01 Jan 2026 00:00:30 GMT", now)).toBe(30_000);
    expect(parseRetryAfter("Wed, 31 Dec 2025 23:59:00 GMT", now)).toBe(0);
  });

  it("gives undefined for missing or malformed values", () => {
    for (const header of [undefined, null, "", "soon", "-5", "1.5", "12abc"]) {
      expect(parseRetryAfter(header, now), String(header)).toBeUndefined();
    }
  });
});

describe("httpQueueError", () => {
  it("[Q3] carries kind, code and the Retry-After delay", () => {
    const error = httpQueueError(429, "3", 0);
    expect(error).toBeInstanceOf(QueueError);
    expect(error).toMatchObject({ kind: "transient", code: "HTTP_429", retryAfterMs: 3_000 });
  });

  it("[Q5] maps 401 to auth and a network error to a transient NETWORK_ERROR with its cause", () => {
    expect(httpQueueError(401, null, 0)).toMatchObject({ kind: "auth", code: "HTTP_401" });
    const cause = new TypeError("fetch failed");
    const error = httpQueueError(0, undefined, 0, { cause });
    expect(error).toMatchObject({ kind: "transient", code: "NETWORK_ERROR", cause });
    expect(error).not.toHaveProperty("retryAfterMs");
  });
});
