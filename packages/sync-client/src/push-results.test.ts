import { ErrorCode } from "@sync/protocol";
import { describe, expect, it } from "vitest";
import { toQueueFailure } from "./push-results.js";
import { TransportError } from "./transport.js";

const failure = (status: number, code: string) =>
  toQueueFailure(new TransportError(status, code, "x"), 0).kind;

describe("push failures for the queue", () => {
  it("[L21] a protocol version either side cannot speak keeps the work for a retry", () => {
    expect(failure(400, ErrorCode.CLIENT_TOO_OLD)).toBe("transient");
    expect(failure(400, ErrorCode.CLIENT_TOO_NEW)).toBe("transient");
  });

  it("[L21] other 4xx are permanent, 401 waits for sign-in, 5xx and no answer are transient", () => {
    expect(failure(400, ErrorCode.VALIDATION)).toBe("permanent");
    expect(failure(401, ErrorCode.UNAUTHORIZED)).toBe("auth");
    expect(failure(503, ErrorCode.UNAVAILABLE)).toBe("transient");
    expect(toQueueFailure(new TypeError("Failed to fetch"), 0).kind).toBe("transient");
  });
});
