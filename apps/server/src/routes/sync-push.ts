import type { HybridClock } from "@sync/clock";
import type { EntitySchema } from "@sync/entities";
import {
  ErrorCode,
  LIMITS,
  MIN_PROTOCOL_VERSION,
  PROTOCOL_VERSION,
  pushRequestSchema,
} from "@sync/protocol";
import { Hono } from "hono";
import type { AuthVariables } from "../auth/middleware.js";
import type { Db } from "../db/types.js";
import { ApiError } from "../http/api-error.js";
import { parseWith } from "../http/read-json.js";
import { readPushBody, tooManyOperations } from "../http/read-push-body.js";
import type { Notifier } from "../notifier/notifier.js";
import { applyPush, type PushHooks } from "../sync/apply-push.js";
import { randomInviteCode } from "../sync/invite-code.js";

export interface SyncRouteDeps {
  readonly db: Db;
  readonly schema: EntitySchema;
  readonly clock: HybridClock;
  readonly notifier: Notifier;
  readonly hooks?: PushHooks;
  /** Wraps a push so shutdown can wait for it (and refuse new ones). */
  readonly track: <T>(work: () => Promise<T>) => Promise<T>;
}

export function pushRoutes(deps: SyncRouteDeps) {
  const app = new Hono<{ Variables: AuthVariables }>();
  app.post("/", async (c) => {
    // JSON or the compact encoding; from here on both are the same object, checked the same way.
    const body = await readPushBody(c);
    // Checked before the full schema so the answer names the real problem (and is cheap).
    const ops = (body as { ops?: unknown } | null)?.ops;
    if (Array.isArray(ops) && ops.length > LIMITS.maxOpsPerPush)
      throw tooManyOperations(ops.length);
    // Before the schema: an old client's body may not match today's schema at all.
    const version = (body as { protocolVersion?: unknown } | null)?.protocolVersion;
    if (typeof version === "number" && version < MIN_PROTOCOL_VERSION) {
      throw new ApiError(
        400,
        ErrorCode.CLIENT_TOO_OLD,
        `protocol ${version} is no longer supported; upgrade the client`,
        { details: { minProtocolVersion: MIN_PROTOCOL_VERSION } },
      );
    }
    // A newer client may mean things this server cannot know; it says so rather than guess.
    if (typeof version === "number" && version > PROTOCOL_VERSION) {
      throw new ApiError(
        400,
        ErrorCode.CLIENT_TOO_NEW,
        `this server speaks protocol ${PROTOCOL_VERSION}, not ${version}; upgrade the server`,
        { details: { protocolVersion: PROTOCOL_VERSION } },
      );
    }
    const request = parseWith(pushRequestSchema, body, "push request");
    const publishWithin = deps.notifier.publishWithin?.bind(deps.notifier);
    const { response, event, announced } = await deps.track(() =>
      applyPush(
        {
          db: deps.db,
          ...(publishWithin ? { announce: publishWithin } : {}),
          schema: deps.schema,
          clock: deps.clock,
          randomCode: randomInviteCode,
          ...(deps.hooks ? { hooks: deps.hooks } : {}),
        },
        c.get("user"),
        request,
      ),
    );
    if (event && !announced) await deps.notifier.publish(event);
    return c.json(response, 200);
  });
  return app;
}
