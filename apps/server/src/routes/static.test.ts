import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createApp } from "../app.js";
import type { Db } from "../db/types.js";
import { createMemoryNotifier } from "../notifier/memory-notifier.js";
import { testConfig } from "../testing/start-test-server.js";

// Static serving and headers never touch the database.
const noDb = {} as Db;

function distDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "web-dist-"));
  writeFileSync(join(dir, "index.html"), "<!doctype html><title>app</title>");
  writeFileSync(join(dir, "sw.js"), "self.addEventListener('fetch', () => {});");
  mkdirSync(join(dir, "assets"));
  writeFileSync(join(dir, "assets", "app-123.js"), "console.log(1)");
  return dir;
}

describe("static web app and headers", () => {
  const { app } = createApp({
    db: noDb,
    notifier: createMemoryNotifier(),
    config: testConfig({ webDistDir: distDir() }),
  });

  it("[F1] serves files, and index.html for client-side routes", async () => {
    const index = await app.request("/");
    expect(index.status).toBe(200);
    expect(await index.text()).toContain("<title>app</title>");
    const asset = await app.request("/assets/app-123.js");
    expect(asset.headers.get("content-type")).toMatch(/javascript/);
    const route = await app.request("/lists/0190b0c4-0000-7000-8000-000000000000");
    expect(route.status).toBe(200);
    expect(await route.text()).toContain("<title>app</title>");
  });

  it("[F1] sw.js is never cached and may control the whole origin", async () => {
    const res = await app.request("/sw.js");
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-cache");
    expect(res.headers.get("service-worker-allowed")).toBe("/");
  });

  it("[F1] unknown API paths stay JSON 404s, not the SPA", async () => {
    const res = await app.request("/api/unknown");
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { code: "NOT_FOUND" } });
  });

  it("[F2] security headers: a CSP of 'self' that allows the service worker, no CORS", async () => {
    const res = await app.request("/", { headers: { origin: "https://evil.example" } });
    const csp = res.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("worker-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
  });
});
