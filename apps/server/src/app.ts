import { createNodeId, HybridClock } from "@sync/clock";
import { type EntitySchema, shoppingSchema } from "@sync/entities";
import { ErrorCode, errorEnvelope, LIMITS } from "@sync/protocol";
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { secureHeaders } from "hono/secure-headers";
import { type AuthVariables, requireUser } from "./auth/middleware.js";
import type { ServerConfig } from "./config.js";
import type { Db } from "./db/types.js";
import { type GcResult, runTombstoneGc } from "./gc/run-gc.js";
import { ApiError } from "./http/api-error.js";
import { errorHandler } from "./http/on-error.js";
import { createLogger, type Logger } from "./logger.js";
import type { Notifier } from "./notifier/notifier.js";
import { authRoutes } from "./routes/auth.js";
import { healthRoutes } from "./routes/health.js";
import { listRoutes } from "./routes/lists.js";
import { mountStatic } from "./routes/static.js";
import { StreamRegistry, streamRoutes } from "./routes/stream.js";
import { pullRoutes } from "./routes/sync-pull.js";
import { pushRoutes } from "./routes/sync-push.js";
import type { PushHooks } from "./sync/apply-push.js";
import { InFlight } from "./sync/in-flight.js";

export interface AppDeps {
  readonly db: Db;
  readonly notifier: Notifier;
  readonly config: ServerConfig;
  /** The server's HLC; by default a fresh node id with `config.maxDriftMs` as its bound. */
  readonly clock?: HybridClock;
  readonly schema?: EntitySchema;
  readonly logger?: Logger;
  readonly hooks?: PushHooks;
}

export interface ServerApp {
  readonly app: Hono;
  readonly clock: HybridClock;
  /** Tombstone GC now (also run by the timer when `config.gcIntervalMs` > 0). */
  runGc(): Promise<GcResult>;
  /** Refuses new pushes, waits for in-flight ones, ends streams, stops timers. Leaves the db open. */
  close(): Promise<void>;
}

const CSP = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  // Frameworks and the PWA plugin inject style attributes; scripts stay strict.
  styleSrc: ["'self'", "'unsafe-inline'"],
  imgSrc: ["'self'", "data:", "blob:"],
  connectSrc: ["'self'"],
  workerSrc: ["'self'"],
  manifestSrc: ["'self'"],
  fontSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
};

const AUTHED_ROUTES: Record<string, string> = {
  "/sync/push": "POST",
  "/sync/pull": "GET",
  "/sync/stream": "GET",
  "/lists/join": "POST",
  "/lists/:id/leave": "POST",
};

/** Paths and the methods they answer, for 405s with an Allow header. */
const ROUTES: Record<string, string> = {
  "/api/health": "GET",
  "/api/auth/signup": "POST",
  "/api/auth/signin": "POST",
  "/api/auth/signout": "POST",
  "/api/auth/me": "GET",
  "/api/sync/push": "POST",
  "/api/sync/pull": "GET",
  "/api/sync/stream": "GET",
  "/api/lists/join": "POST",
  "/api/lists/:id/leave": "POST",
};

export function createApp(deps: AppDeps): ServerApp {
  const { db, notifier, config } = deps;
  const logger = deps.logger ?? createLogger(config.logLevel);
  const schema = deps.schema ?? shoppingSchema;
  const clock =
    deps.clock ?? new HybridClock({ node: createNodeId(), maxDriftMs: config.maxDriftMs });
  const streams = new StreamRegistry();
  const inFlight = new InFlight();

  const app = new Hono();
  app.use("*", secureHeaders({ contentSecurityPolicy: CSP, crossOriginEmbedderPolicy: false }));
  app.use(
    "/api/*",
    bodyLimit({
      maxSize: LIMITS.maxBodyBytes,
      onError: () => {
        // The unread rest of the body would poison the keep-alive connection: close it.
        throw new ApiError(
          413,
          ErrorCode.PAYLOAD_TOO_LARGE,
          `request bodies are limited to ${LIMITS.maxBodyBytes} bytes`,
          { headers: { Connection: "close" } },
        );
      },
    }),
  );
  app.use("/api/*", async (c, next) => {
    await next();
    c.header("Cache-Control", "no-store");
  });

  const authed = new Hono<{ Variables: AuthVariables }>();
  // Authentication per route and method, so unknown paths stay 404 and wrong methods 405.
  const auth = requireUser(db);
  for (const [path, method] of Object.entries(AUTHED_ROUTES)) authed.on(method, path, auth);
  authed.route(
    "/sync/push",
    pushRoutes({
      db,
      schema,
      clock,
      notifier,
      ...(deps.hooks ? { hooks: deps.hooks } : {}),
      track: (work) => inFlight.run(work),
    }),
  );
  authed.route("/sync/pull", pullRoutes(db));
  authed.route("/sync/stream", streamRoutes(db, notifier, config, streams));
  authed.route("/lists", listRoutes(db, clock, notifier));

  app.route("/api/health", healthRoutes(db));
  app.route("/api/auth", authRoutes(db, config));
  app.route("/api", authed);

  for (const [path, allow] of Object.entries(ROUTES)) {
    app.all(path, (c) => {
      c.header("Allow", allow);
      return c.json(
        errorEnvelope(
          ErrorCode.METHOD_NOT_ALLOWED,
          `${c.req.method} is not allowed here; use ${allow}`,
        ),
        405,
      );
    });
  }
  app.all("/api/*", (c) =>
    c.json(errorEnvelope(ErrorCode.NOT_FOUND, `no route ${c.req.method} ${c.req.path}`), 404),
  );
  if (mountStatic(app, config.webDistDir))
    logger.info("serving web app", { dir: config.webDistDir });
  app.notFound((c) =>
    c.json(errorEnvelope(ErrorCode.NOT_FOUND, `no route ${c.req.method} ${c.req.path}`), 404),
  );
  app.onError(errorHandler(logger));

  const gcTimer =
    config.gcIntervalMs > 0
      ? setInterval(() => {
          runTombstoneGc(db, config.tombstoneRetentionMs).then(
            (r) => logger.info("tombstone gc", { ...r }),
            (error: unknown) => logger.error("tombstone gc failed", { error: String(error) }),
          );
        }, config.gcIntervalMs)
      : undefined;
  gcTimer?.unref();

  return {
    app,
    clock,
    runGc: () => runTombstoneGc(db, config.tombstoneRetentionMs),
    async close() {
      if (gcTimer) clearInterval(gcTimer);
      await inFlight.drain();
      streams.closeAll();
    },
  };
}
