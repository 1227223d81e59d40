import type { DeadLetterView, SyncClient, SyncStatus } from "@sync/sync-client";
import { type Api, ApiError, type Credentials } from "./api.js";
import {
  dbNameFor,
  forgetUser,
  type KeyValueStore,
  loadUser,
  saveUser,
  type User,
} from "./session.js";
import type { UiNotice } from "./ui-notices.js";

export interface ClientSessionDeps {
  readonly api: Api;
  readonly storage: KeyValueStore;
  openClient(user: User): SyncClient;
  /** Tells the service worker which database a Background Sync should drain (null: none). */
  rememberDb(dbName: string | null): Promise<void>;
  onStatus(status: SyncStatus): void;
  isOnline(): boolean;
  notify(notice: Omit<UiNotice, "id" | "at">): void;
}

export type Phase = "none" | "opening" | "ready" | "failed";

export interface SessionSnapshot {
  readonly user: User | null;
  readonly client: SyncClient | null;
  /** The client's status, shown as "signed-out" once the server said the session is gone. */
  readonly status: SyncStatus | null;
  readonly phase: Phase;
  readonly openError: string;
  readonly deadLetters: readonly DeadLetterView[];
}

/**
 * Who is signed in and which sync client serves them. The remembered user's data opens without
 * the server (offline reloads); a 401 shows the signed-out state but keeps the client and its
 * pending work; signing in again as the same user resumes it, another user gets their own database.
 */
export function createClientSession(deps: ClientSessionDeps, onChange: () => void) {
  let user: User | null = null;
  let client: SyncClient | null = null;
  let status: SyncStatus | null = null;
  let phase: Phase = "none";
  let openError = "";
  let sessionEnded = false;
  let deadLetters: readonly DeadLetterView[] = [];
  let deadLetterCount = -1;
  let unsubscribe: Array<() => void> = [];

  function shownStatus(): SyncStatus | null {
    if (!status || !user) return null;
    return sessionEnded && status.state !== "signed-out"
      ? { ...status, state: "signed-out" }
      : status;
  }

  async function refreshDeadLetters(force = false): Promise<void> {
    const c = client;
    if (!c || phase !== "ready") return;
    const count = c.getStatus().deadLetterCount;
    if (!force && count === deadLetterCount) return;
    deadLetterCount = count;
    try {
      const next = await c.deadLetters();
      if (client === c) deadLetters = next;
    } catch (error) {
      deps.notify({
        level: "error",
        message: `Could not read failed changes: ${messageOf(error)}`,
      });
    }
    onChange();
  }

  async function close(): Promise<void> {
    for (const u of unsubscribe) u();
    unsubscribe = [];
    const c = client;
    client = null;
    status = null;
    phase = "none";
    deadLetters = [];
    deadLetterCount = -1;
    onChange();
    if (c) await c.stop();
  }

  async function openFor(next: User): Promise<void> {
    await close();
    user = next;
    sessionEnded = false;
    phase = "opening";
    onChange();
    const c = deps.openClient(next);
    client = c;
    unsubscribe.push(
      c.subscribe(onChange),
      c.subscribeStatus((s) => {
        if (client !== c) return;
        status = s;
        deps.onStatus(s);
        void refreshDeadLetters();
        onChange();
      }),
    );
    try {
      await c.start();
    } catch (error) {
      if (client !== c) return;
      console.error("opening the local store failed", error);
      phase = "failed";
      openError = messageOf(error);
      onChange();
      return;
    }
    if (client !== c) return;
    status = c.getStatus();
    deps.onStatus(status);
    phase = "ready";
    onChange();
    void refreshDeadLetters(true);
    deps.rememberDb(dbNameFor(next.id)).catch((error: unknown) => {
      console.error("rememberDb failed", error);
      deps.notify({ level: "warning", message: "Background sync is unavailable in this browser." });
    });
  }

  async function signedIn(next: User): Promise<void> {
    saveUser(deps.storage, next);
    if (client && user?.id === next.id) {
      user = next;
      sessionEnded = false;
      onChange();
      await client.resumeAfterSignIn();
    } else {
      await openFor(next);
    }
  }

  return {
    snapshot(): SessionSnapshot {
      return { user, client, status: shownStatus(), phase, openError, deadLetters };
    },

    /** Opens the remembered user's data at once, then checks the session when online. */
    async boot(): Promise<void> {
      const remembered = loadUser(deps.storage);
      if (remembered) await openFor(remembered);
      if (!deps.isOnline()) return;
      let me: User | null;
      try {
        me = await deps.api.me();
      } catch (error) {
        if (!(error instanceof ApiError && error.code === "NETWORK")) {
          deps.notify({
            level: "warning",
            message: `Could not check your session: ${messageOf(error)}`,
          });
        }
        return;
      }
      if (me === null) {
        if (user) sessionEnded = true;
        onChange();
        return;
      }
      if (user?.id === me.id) return;
      saveUser(deps.storage, me);
      await openFor(me);
    },

    signIn: async (c: Credentials) => signedIn(await deps.api.signIn(c)),
    signUp: async (c: Credentials) => signedIn(await deps.api.signUp(c)),

    /** Returns how many unsynced changes stay behind in the signed-out user's database. */
    async signOut(): Promise<{ user: User | null; pending: number }> {
      const was = user;
      const pending = status?.pendingCount ?? 0;
      try {
        await deps.api.signOut();
      } catch (error) {
        // Offline: forget the session here anyway; the server's cookie expires on its own.
        if (!(error instanceof ApiError && (error.code === "NETWORK" || error.status === 401))) {
          deps.notify({
            level: "warning",
            message: `The server did not confirm the sign-out: ${messageOf(error)}`,
          });
        }
      }
      forgetUser(deps.storage);
      user = null;
      sessionEnded = false;
      await close();
      await deps.rememberDb(null);
      return { user: was, pending };
    },

    /**
     * Another tab signed in as someone else, or signed out (the remembered user changed). The
     * session cookie is shared, so this tab's client must not go on syncing its user's database
     * under it: that would pull the other account's rows into it, move its cursor past changes
     * it never got, and push its work as someone else's. It opens the new user's data instead.
     */
    async storedUserChanged(): Promise<void> {
      const stored = loadUser(deps.storage);
      if (stored?.id === user?.id) return;
      if (stored) {
        await openFor(stored);
        return;
      }
      user = null;
      sessionEnded = false;
      await close();
    },

    retryOpen(): Promise<void> {
      return user ? openFor(user) : Promise.resolve();
    },

    refreshDeadLetters,

    async joinList(code: string): Promise<string> {
      const c = client;
      if (!c) throw new Error("Sign in first.");
      try {
        return await deps.api.joinList(code);
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) {
          sessionEnded = true;
          onChange();
          throw new Error("Your session has ended. Sign in again to join.", { cause: error });
        }
        if (error instanceof ApiError && error.code === "NETWORK") {
          throw new Error("You are offline. Joining a list needs a connection.", { cause: error });
        }
        throw error;
      }
    },
  };
}

export type ClientSession = ReturnType<typeof createClientSession>;

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
