import { z } from "zod";
import { LIMITS } from "./limits.js";
import { uuidSchema } from "./primitives.js";

export const credentialsSchema = z.strictObject({
  username: z
    .string()
    .min(LIMITS.minUsernameLength)
    .max(LIMITS.maxUsernameLength)
    .regex(/^[a-zA-Z0-9_.-]+$/, "letters, digits, dot, dash and underscore only"),
  password: z.string().min(LIMITS.minPasswordLength).max(LIMITS.maxPasswordLength),
});
export type Credentials = z.infer<typeof credentialsSchema>;

export const userSchema = z.strictObject({ id: uuidSchema, username: z.string() });
export type User = z.infer<typeof userSchema>;

/** Answer of signup and signin; the token is also set as an HttpOnly cookie. */
export const sessionResponseSchema = z.strictObject({ user: userSchema, token: z.string() });
export type SessionResponse = z.infer<typeof sessionResponseSchema>;

export const meResponseSchema = z.strictObject({ user: userSchema });
export type MeResponse = z.infer<typeof meResponseSchema>;

export const joinListRequestSchema = z.strictObject({
  code: z
    .string()
    .length(LIMITS.inviteCodeLength)
    .regex(/^[A-Z0-9]+$/),
});
export type JoinListRequest = z.infer<typeof joinListRequestSchema>;

export const joinListResponseSchema = z.strictObject({ listId: uuidSchema });
export type JoinListResponse = z.infer<typeof joinListResponseSchema>;

export const healthResponseSchema = z.strictObject({
  status: z.enum(["ok", "degraded"]),
  database: z.enum(["up", "down"]),
  protocolVersion: z.number().int(),
});
export type HealthResponse = z.infer<typeof healthResponseSchema>;
