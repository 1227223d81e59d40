import {
  credentialsSchema,
  ErrorCode,
  type MeResponse,
  type SessionResponse,
} from "@sync/protocol";
import { eq } from "drizzle-orm";
import { Hono } from "hono";
import { deleteCookie, setCookie } from "hono/cookie";
import { v7 as uuidv7 } from "uuid";
import { type AuthVariables, requireUser } from "../auth/middleware.js";
import { hashPassword, verifyPassword } from "../auth/password.js";
import { FailureLimiter } from "../auth/rate-limit.js";
import { SESSION_COOKIE } from "../auth/session-token.js";
import { createSession, deleteSession } from "../auth/sessions.js";
import type { ServerConfig } from "../config.js";
import { isUniqueViolation } from "../db/errors.js";
import { users } from "../db/schema/index.js";
import type { Db } from "../db/types.js";
import { ApiError } from "../http/api-error.js";
import { clientIp } from "../http/client-ip.js";
import { readJson } from "../http/read-json.js";

export function authRoutes(db: Db, config: ServerConfig) {
  const limiter = new FailureLimiter({
    max: config.signinMaxAttempts,
    windowMs: config.signinWindowMs,
  });
  // Signin with an unknown username still runs scrypt, so timing does not reveal usernames.
  const dummyHash = hashPassword("dummy-password-for-timing", config.scryptCost);

  const cookieOptions = {
    httpOnly: true,
    sameSite: "Lax",
    path: "/",
    secure: config.cookieSecure,
    maxAge: Math.floor(config.sessionTtlMs / 1000),
  } as const;

  const app = new Hono<{ Variables: AuthVariables }>();

  app.post("/signup", async (c) => {
    const { username, password } = await readJson(c, credentialsSchema);
    const id = uuidv7();
    const passwordHash = await hashPassword(password, config.scryptCost);
    try {
      await db.insert(users).values({ id, username, passwordHash });
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new ApiError(409, ErrorCode.USERNAME_TAKEN, "that username is taken");
      }
      throw error;
    }
    const token = await createSession(db, id, config.sessionTtlMs);
    setCookie(c, SESSION_COOKIE, token, cookieOptions);
    return c.json({ user: { id, username }, token } satisfies SessionResponse, 201);
  });

  app.post("/signin", async (c) => {
    const { username, password } = await readJson(c, credentialsSchema);
    const key = `${username.toLowerCase()}|${clientIp(c)}`;
    const wait = limiter.retryAfterMs(key);
    if (wait > 0) {
      throw new ApiError(429, ErrorCode.RATE_LIMITED, "too many failed signins, try again later", {
        headers: { "Retry-After": String(Math.ceil(wait / 1000)) },
      });
    }
    const [user] = await db.select().from(users).where(eq(users.username, username)).limit(1);
    const ok = await verifyPassword(password, user?.passwordHash ?? (await dummyHash));
    if (!user || !ok) {
      limiter.recordFailure(key);
      throw new ApiError(401, ErrorCode.INVALID_CREDENTIALS, "wrong username or password");
    }
    limiter.reset(key);
    const token = await createSession(db, user.id, config.sessionTtlMs);
    setCookie(c, SESSION_COOKIE, token, cookieOptions);
    return c.json(
      { user: { id: user.id, username: user.username }, token } satisfies SessionResponse,
      200,
    );
  });

  app.post("/signout", requireUser(db), async (c) => {
    await deleteSession(db, c.get("token"));
    deleteCookie(c, SESSION_COOKIE, { path: "/", secure: config.cookieSecure });
    return c.body(null, 204);
  });

  app.get("/me", requireUser(db), (c) => c.json({ user: c.get("user") } satisfies MeResponse));

  return app;
}
