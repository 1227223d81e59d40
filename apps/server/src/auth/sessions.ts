import { and, eq, gt } from "drizzle-orm";
import { sessions, users } from "../db/schema/index.js";
import type { Db } from "../db/types.js";
import { hashToken, newSessionToken } from "./session-token.js";

export interface SessionUser {
  readonly id: string;
  readonly username: string;
}

export async function createSession(db: Db, userId: string, ttlMs: number): Promise<string> {
  const token = newSessionToken();
  await db.insert(sessions).values({
    tokenHash: hashToken(token),
    userId,
    expiresAt: new Date(Date.now() + ttlMs),
  });
  return token;
}

export async function findSessionUser(db: Db, token: string): Promise<SessionUser | undefined> {
  const [row] = await db
    .select({ id: users.id, username: users.username })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.tokenHash, hashToken(token)), gt(sessions.expiresAt, new Date())))
    .limit(1);
  return row;
}

export async function deleteSession(db: Db, token: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.tokenHash, hashToken(token)));
}
