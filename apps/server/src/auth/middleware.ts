import type { MiddlewareHandler } from "hono";
import { getCookie } from "hono/cookie";
import type { Db } from "../db/types.js";
import { unauthorized } from "../http/api-error.js";
import { SESSION_COOKIE } from "./session-token.js";
import { findSessionUser, type SessionUser } from "./sessions.js";

export interface AuthVariables {
  user: SessionUser;
  token: string;
}

const TOKEN = /^[A-Za-z0-9_-]{20,100}$/;

/** The session token from `Authorization: Bearer` (Node clients) or the `sid` cookie (browsers). */
export function sessionToken(header: string | undefined, cookie: string | undefined) {
  const bearer = header?.match(/^Bearer\s+(\S+)$/i)?.[1];
  const token = bearer ?? cookie;
  return token !== undefined && TOKEN.test(token) ? token : undefined;
}

/** Rejects with 401 unless the request carries a live session; sets `user` and `token`. */
export function requireUser(db: Db): MiddlewareHandler<{ Variables: AuthVariables }> {
  return async (c, next) => {
    const token = sessionToken(c.req.header("authorization"), getCookie(c, SESSION_COOKIE));
    if (!token) throw unauthorized();
    const user = await findSessionUser(db, token);
    if (!user) throw unauthorized();
    c.set("user", user);
    c.set("token", token);
    await next();
  };
}
