import { describe, expect, it } from "vitest";
import { startTestServer } from "./start-test-server.js";
import { availableBackends } from "./test-database.js";

describe.each(availableBackends())("startTestServer (%s)", (backend) => {
  it("[T1] serves the API on a random port with a fresh database, signs users up, runs GC, closes", async () => {
    const server = await startTestServer({ backend, config: { tombstoneRetentionMs: 0 } });
    try {
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const health = await fetch(`${server.url}/api/health`);
      expect(await health.json()).toMatchObject({ status: "ok", database: "up" });
      const alice = await server.signup("alice");
      const me = await fetch(`${server.url}/api/auth/me`, {
        headers: { authorization: `Bearer ${alice.token}` },
      });
      expect(await me.json()).toEqual({ user: { id: alice.userId, username: "alice" } });
      const random = await server.signup();
      expect(random.username).not.toBe("alice");
      await server.runGc();
    } finally {
      await server.close();
    }
    await expect(fetch(`${server.url}/api/health`)).rejects.toThrow();
  }, 120_000); // includes a PGlite start, slow on a loaded machine
});
