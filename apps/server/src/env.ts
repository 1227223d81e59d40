import { isAbsolute, resolve } from "node:path";
import { z } from "zod";
import { DEFAULT_CONFIG, type ServerConfig } from "./config.js";

const int = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, "expected a whole number")
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));

const bool = z.enum(["true", "false", "1", "0"]).transform((v) => v === "true" || v === "1");

const envSchema = z.object({
  PORT: int(0, 65_535).optional(),
  HOST: z.string().min(1).optional(),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "expected a postgres:// or postgresql:// URL")
    .optional(),
  DATA_DIR: z.string().min(1).optional(),
  WEB_DIST_DIR: z.string().min(1).optional(),
  MAX_DRIFT_MS: int(0, 365 * 24 * 3600_000).optional(),
  TOMBSTONE_RETENTION_MS: int(0, Number.MAX_SAFE_INTEGER).optional(),
  GC_INTERVAL_MS: int(0, 2_147_483_647).optional(),
  HEARTBEAT_MS: int(1_000, 2_147_483_647).optional(),
  STREAM_RETRY_MS: int(100, 3_600_000).optional(),
  SCRYPT_COST: int(1_024, 1_048_576)
    .refine((n) => (n & (n - 1)) === 0, "expected a power of two")
    .optional(),
  COOKIE_SECURE: bool.optional(),
  SESSION_TTL_MS: int(60_000, Number.MAX_SAFE_INTEGER).optional(),
  SIGNIN_MAX_ATTEMPTS: int(1, 1_000_000).optional(),
  SIGNIN_WINDOW_MS: int(1_000, 2_147_483_647).optional(),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error", "silent"]).optional(),
});

export class EnvError extends Error {
  readonly problems: readonly string[];
  constructor(problems: readonly string[]) {
    super(`invalid environment:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "EnvError";
    this.problems = problems;
  }
}

/**
 * The only place that reads the environment. Empty strings count as unset. Relative DATA_DIR
 * and WEB_DIST_DIR resolve against the working directory.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const present = Object.fromEntries(
    Object.entries(env).filter(([key, value]) => key in envSchema.shape && value !== ""),
  );
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    throw new EnvError(
      parsed.error.issues.map((issue) => {
        const key = String(issue.path[0] ?? "?");
        return `${key}=${JSON.stringify(env[key])}: ${issue.message}`;
      }),
    );
  }
  const e = parsed.data;
  const abs = (p: string) => (isAbsolute(p) ? p : resolve(p));
  return {
    port: e.PORT ?? DEFAULT_CONFIG.port,
    host: e.HOST ?? DEFAULT_CONFIG.host,
    databaseUrl: e.DATABASE_URL,
    dataDir: abs(e.DATA_DIR ?? DEFAULT_CONFIG.dataDir),
    webDistDir: e.WEB_DIST_DIR === undefined ? DEFAULT_CONFIG.webDistDir : abs(e.WEB_DIST_DIR),
    maxDriftMs: e.MAX_DRIFT_MS ?? DEFAULT_CONFIG.maxDriftMs,
    tombstoneRetentionMs: e.TOMBSTONE_RETENTION_MS ?? DEFAULT_CONFIG.tombstoneRetentionMs,
    gcIntervalMs: e.GC_INTERVAL_MS ?? DEFAULT_CONFIG.gcIntervalMs,
    heartbeatMs: e.HEARTBEAT_MS ?? DEFAULT_CONFIG.heartbeatMs,
    streamRetryMs: e.STREAM_RETRY_MS ?? DEFAULT_CONFIG.streamRetryMs,
    scryptCost: e.SCRYPT_COST ?? DEFAULT_CONFIG.scryptCost,
    cookieSecure: e.COOKIE_SECURE ?? DEFAULT_CONFIG.cookieSecure,
    sessionTtlMs: e.SESSION_TTL_MS ?? DEFAULT_CONFIG.sessionTtlMs,
    signinMaxAttempts: e.SIGNIN_MAX_ATTEMPTS ?? DEFAULT_CONFIG.signinMaxAttempts,
    signinWindowMs: e.SIGNIN_WINDOW_MS ?? DEFAULT_CONFIG.signinWindowMs,
    logLevel: e.LOG_LEVEL ?? DEFAULT_CONFIG.logLevel,
  };
}

/** DATABASE_URL for test helpers (startTestServer, the test backends), validated like loadConfig. */
export function testDatabaseUrl(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return loadConfig({ DATABASE_URL: env.DATABASE_URL }).databaseUrl;
}
