import { describe, expect, it } from "vitest";
import { ApiError, createApi, normaliseInviteCode } from "./api.js";

interface Call {
  url: string;
  init: RequestInit | undefined;
}

function fakeFetch(status: number, body: unknown, calls: Call[] = []): typeof fetch {
  return (async (url: string, init?: RequestInit) => {
    calls.push({ url, init });
    return new Response(JSON.stringify(body), {
      status,
      headers: { "content-type": "application/json" },
    });
  }) as typeof fetch;
}

describe("auth API", () => {
  it("posts credentials same-origin and returns only id and username", async () => {
    const calls: Call[] = [];
    const api = createApi(
      fakeFetch(200, { user: { id: "u1", username: "ann" }, token: "t" }, calls),
    );
    await expect(api.signIn({ username: "ann", password: "pw" })).resolves.toEqual({
      id: "u1",
      username: "ann",
    });
    expect(calls[0]?.url).toBe("/api/auth/signin");
    expect(calls[0]?.init?.method).toBe("POST");
    expect(calls[0]?.init?.credentials).toBe("same-origin");
    expect(JSON.parse(String(calls[0]?.init?.body))).toEqual({ username: "ann", password: "pw" });
  });

  it("turns the error envelope into an ApiError with the server's code", async () => {
    const api = createApi(fakeFetch(409, { error: { code: "USERNAME_TAKEN", message: "taken" } }));
    const error = await api.signUp({ username: "a", password: "b" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ code: "USERNAME_TAKEN", message: "taken", status: 409 });
  });

  it("reports a missing network as NETWORK, keeping the cause", async () => {
    const cause = new TypeError("Failed to fetch");
    const api = createApi((async () => Promise.reject(cause)) as typeof fetch);
    const error = await api.me().catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "NETWORK", status: 0, cause });
  });

  it("reads a 401 from /me as 'no session', with a GET", async () => {
    const calls: Call[] = [];
    const api = createApi(
      fakeFetch(401, { error: { code: "UNAUTHORIZED", message: "no" } }, calls),
    );
    await expect(api.me()).resolves.toBeNull();
    expect(calls[0]?.init?.method).toBe("GET");
  });

  it("rejects a 500 from /me instead of treating it as signed out", async () => {
    const api = createApi(fakeFetch(500, {}));
    await expect(api.me()).rejects.toMatchObject({ code: "HTTP_500", status: 500 });
  });
});

describe("join by invite code", () => {
  it("sends the normalised code and returns the list id", async () => {
    const calls: Call[] = [];
    const api = createApi(fakeFetch(200, { listId: "l1" }, calls));
    await expect(api.joinList(" abcd-12345 z ")).resolves.toBe("l1");
    expect(JSON.parse(String(calls[0]?.init?.body))).toEqual({ code: "ABCD12345Z" });
  });

  it("normalises what people type", () => {
    expect(normaliseInviteCode("ab cd-ef 1234")).toBe("ABCDEF1234");
  });
});
