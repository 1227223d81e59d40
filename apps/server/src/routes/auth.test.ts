import { sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { hashToken } from "../auth/session-token.js";
import { executeRows } from "../db/rows.js";
import { createHarness, type Harness } from "../testing/harness.js";
import { TEST_PASSWORD } from "../testing/start-test-server.js";
import { availableBackends } from "../testing/test-database.js";

const json = (body: unknown): RequestInit => ({
  method: "POST",
  headers: { "content-type": "application/json" },
  body: JSON.stringify(body),
});

describe.each(availableBackends())("auth (%s)", (backend) => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness(backend);
  });
  beforeEach(() => h.reset({ config: { signinMaxAttempts: 3 } }));
  afterAll(() => h.close());

  it("[U1] signup answers the token in the body and as an HttpOnly SameSite=Lax cookie", async () => {
    const res = await h.request(
      "/api/auth/signup",
      json({ username: "carol", password: TEST_PASSWORD }),
    );
    expect(res.status).toBe(201);
    const body = (await res.json()) as { token: string; user: { id: string; username: string } };
    expect(body.user.username).toBe("carol");
    const cookie = res.headers.get("set-cookie") ?? "";
    expect(cookie).toContain(`sid=${body.token}`);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).toMatch(/Path=\//);
    const me = await h.request("/api/auth/me", { headers: { cookie: `sid=${body.token}` } });
    expect(await me.json()).toEqual({ user: body.user });
    const bearer = await h.request("/api/auth/me", {
      headers: { authorization: `Bearer ${body.token}` },
    });
    expect(bearer.status).toBe(200);
  });

  it("[U2] only a SHA-256 of the session token is stored, and passwords only as scrypt", async () => {
    const alice = await h.signup("alice");
    const rows = await executeRows<{ token_hash: string; password_hash: string }>(
      h.testDb.database.db,
      sql`select s.token_hash, u.password_hash from sessions s join users u on u.id = s.user_id`,
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]?.token_hash).toBe(hashToken(alice.token));
    expect(rows[0]?.token_hash).not.toContain(alice.token);
    expect(rows[0]?.password_hash).toMatch(/^scrypt\$/);
    expect(rows[0]?.password_hash).not.toContain(TEST_PASSWORD);
  });

  it("[U3] a taken username is 409 USERNAME_TAKEN", async () => {
    await h.signup("alice");
    const res = await h.request(
      "/api/auth/signup",
      json({ username: "alice", password: TEST_PASSWORD }),
    );
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({ error: { code: "USERNAME_TAKEN" } });
  });

  it("[U4] signin checks the password; signout revokes the token (a replay is 401)", async () => {
    await h.signup("alice");
    const wrong = await h.request(
      "/api/auth/signin",
      json({ username: "alice", password: "wrong-password" }),
    );
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toMatchObject({ error: { code: "INVALID_CREDENTIALS" } });
    const unknown = await h.request(
      "/api/auth/signin",
      json({ username: "nobody", password: TEST_PASSWORD }),
    );
    expect(unknown.status).toBe(401);
    const ok = await h.request(
      "/api/auth/signin",
      json({ username: "alice", password: TEST_PASSWORD }),
    );
    expect(ok.status).toBe(200);
    const { token } = (await ok.json()) as { token: string };
    const auth = { authorization: `Bearer ${token}` };
    const out = await h.request("/api/auth/signout", { method: "POST", headers: auth });
    expect(out.status).toBe(204);
    expect(out.headers.get("set-cookie")).toMatch(/sid=;/);
    const replay = await h.request("/api/auth/me", { headers: auth });
    expect(replay.status).toBe(401);
    expect(await replay.json()).toMatchObject({ error: { code: "UNAUTHORIZED" } });
  });

  it("[U5] failed signins are rate-limited per username and IP with Retry-After", async () => {
    await h.signup("alice");
    for (let i = 0; i < 3; i++) {
      const res = await h.request(
        "/api/auth/signin",
        json({ username: "alice", password: "wrong-password" }),
      );
      expect(res.status).toBe(401);
    }
    const limited = await h.request(
      "/api/auth/signin",
      json({ username: "alice", password: TEST_PASSWORD }),
    );
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await limited.json()).toMatchObject({ error: { code: "RATE_LIMITED" } });
    // Another username from the same address is not locked out.
    await h.signup("bob");
    const other = await h.request(
      "/api/auth/signin",
      json({ username: "bob", password: TEST_PASSWORD }),
    );
    expect(other.status).toBe(200);
  });

  it("[U6] sync endpoints need a session", async () => {
    for (const [method, path] of [
      ["POST", "/api/sync/push"],
      ["GET", "/api/sync/pull"],
      ["GET", "/api/sync/stream"],
      ["POST", "/api/lists/join"],
      ["GET", "/api/auth/me"],
    ] as const) {
      const res = await h.request(path, {
        method,
        headers: { authorization: "Bearer not-a-real-token-at-all-000" },
      });
      expect(res.status, path).toBe(401);
    }
  });
});
