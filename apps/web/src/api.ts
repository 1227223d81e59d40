import { isUser, type User } from "./session.js";

/** An HTTP API failure with the server's error code, or NETWORK when no answer came. */
export class ApiError extends Error {
  readonly code: string;
  readonly status: number;

  constructor(code: string, message: string, status: number, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "ApiError";
    this.code = code;
    this.status = status;
  }
}

export interface Credentials {
  readonly username: string;
  readonly password: string;
}

type Fetch = typeof fetch;

/** Auth and membership calls of the server; sync itself goes through the sync client. */
export interface Api {
  signUp(credentials: Credentials): Promise<User>;
  signIn(credentials: Credentials): Promise<User>;
  signOut(): Promise<void>;
  /** The session's user, or null when the server says the session is gone (401). */
  me(): Promise<User | null>;
  joinList(code: string): Promise<string>;
}

export function createApi(fetchFn: Fetch, baseUrl = ""): Api {
  async function call(path: string, body?: unknown): Promise<unknown> {
    let response: Response;
    try {
      response = await fetchFn(`${baseUrl}${path}`, {
        // Every call with a body is a POST; the one read (`/me`) has none.
        method: body === undefined ? "GET" : "POST",
        credentials: "same-origin",
        headers: body === undefined ? {} : { "content-type": "application/json" },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch (cause) {
      throw new ApiError("NETWORK", "Could not reach the server. Are you online?", 0, { cause });
    }
    const payload: unknown = await response.json().catch(() => null);
    if (!response.ok) throw errorFrom(response.status, payload);
    return payload;
  }

  async function authCall(path: string, credentials: Credentials): Promise<User> {
    const payload = await call(path, credentials);
    const user = (payload as { user?: unknown } | null)?.user;
    if (!isUser(user)) throw new ApiError("BAD_RESPONSE", "The server answered unexpectedly.", 200);
    return { id: user.id, username: user.username };
  }

  return {
    signUp: (c) => authCall("/api/auth/signup", c),
    signIn: (c) => authCall("/api/auth/signin", c),
    async signOut() {
      await call("/api/auth/signout", {});
    },
    async me() {
      try {
        const user = ((await call("/api/auth/me")) as { user?: unknown } | null)?.user;
        return isUser(user) ? { id: user.id, username: user.username } : null;
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) return null;
        throw error;
      }
    },
    async joinList(code) {
      const payload = await call("/api/lists/join", { code: normaliseInviteCode(code) });
      const listId = (payload as { listId?: unknown } | null)?.listId;
      if (typeof listId !== "string") {
        throw new ApiError("BAD_RESPONSE", "The server answered unexpectedly.", 200);
      }
      return listId;
    },
  };
}

function errorFrom(status: number, payload: unknown): ApiError {
  const error = (payload as { error?: { code?: unknown; message?: unknown } } | null)?.error;
  const code = typeof error?.code === "string" ? error.code : `HTTP_${status}`;
  const message =
    typeof error?.message === "string" ? error.message : `The server answered ${status}.`;
  return new ApiError(code, message, status);
}

/** Invite codes are 10 characters A-Z0-9; people type them with spaces, dashes and lower case. */
export function normaliseInviteCode(input: string): string {
  return input.toUpperCase().replace(/[^A-Z0-9]/g, "");
}

export const INVITE_CODE = /^[A-Z0-9]{10}$/;
