import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { DEFAULT_CONFIG } from "./config.js";
import { EnvError, loadConfig } from "./env.js";

describe("environment", () => {
  it("[N1] an empty environment gives the documented defaults", () => {
    const config = loadConfig({});
    expect(config).toEqual({ ...DEFAULT_CONFIG, dataDir: resolve(".data") });
    expect(config.port).toBe(8787);
    expect(config.databaseUrl).toBeUndefined();
  });

  it("[N1] values are parsed and relative folders resolved against the working directory", () => {
    const config = loadConfig({
      PORT: "9000",
      HOST: "0.0.0.0",
      DATABASE_URL: "postgres://u@db:5432/app",
      DATA_DIR: "tmp/data",
      MAX_DRIFT_MS: "5000",
      COOKIE_SECURE: "true",
      SCRYPT_COST: "32768",
      LOG_LEVEL: "warn",
      UNRELATED: "ignored",
    });
    expect(config).toMatchObject({
      port: 9000,
      host: "0.0.0.0",
      databaseUrl: "postgres://u@db:5432/app",
      dataDir: resolve("tmp/data"),
      maxDriftMs: 5000,
      cookieSecure: true,
      scryptCost: 32768,
      logLevel: "warn",
    });
  });

  it("[N1] every bad value is reported with its name and value", () => {
    let error: unknown;
    try {
      loadConfig({
        PORT: "eighty",
        SCRYPT_COST: "1000",
        DATABASE_URL: "mysql://x",
        COOKIE_SECURE: "yes",
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(EnvError);
    const problems = (error as EnvError).problems.join("\n");
    expect(problems).toMatch(/PORT="eighty"/);
    expect(problems).toMatch(/SCRYPT_COST="1000"/);
    expect(problems).toMatch(/DATABASE_URL="mysql:\/\/x"/);
    expect(problems).toMatch(/COOKIE_SECURE="yes"/);
  });

  it("[N1] empty strings count as unset", () => {
    expect(loadConfig({ PORT: "", DATABASE_URL: "" }).port).toBe(8787);
  });
});
