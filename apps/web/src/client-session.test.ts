import type { SyncClient, SyncStatus } from "@sync/sync-client";
import { describe, expect, it } from "vitest";
import { type Api, ApiError } from "./api.js";
import { createClientSession } from "./client-session.js";
import { forgetUser, type KeyValueStore, loadUser, saveUser, type User } from "./session.js";
import { syncStatus } from "./test-support/sync-status.js";

const ANN: User = { id: "u-ann", username: "ann" };
const BOB: User = { id: "u-bob", username: "bob" };

const baseStatus: SyncStatus = syncStatus();

/** Records what the session does to a client; reads return nothing. */
function fakeClient(dbUser: User, log: string[]) {
  let status = baseStatus;
  const statusListeners = new Set<(s: SyncStatus) => void>();
  const client = {
    user: dbUser,
    setStatus(next: Partial<SyncStatus>) {
      status = { ...status, ...next };
      for (const l of statusListeners) l(status);
    },
    start: async () => void log.push(`start ${dbUser.id}`),
    stop: async () => void log.push(`stop ${dbUser.id}`),
    resumeAfterSignIn: async () => void log.push(`resume ${dbUser.id}`),
    getStatus: () => status,
    subscribe: () => () => {},
    subscribeStatus(listener: (s: SyncStatus) => void) {
      statusListeners.add(listener);
      return () => statusListeners.delete(listener);
    },
    deadLetters: async () => [],
  };
  return client;
}
type FakeClient = ReturnType<typeof fakeClient>;

function memoryStore(): KeyValueStore {
  const map = new Map<string, string>();
  return {
    getItem: (k) => map.get(k) ?? null,
    setItem: (k, v) => void map.set(k, v),
    removeItem: (k) => void map.delete(k),
  };
}

function setup(
  options: { online?: boolean; me?: () => Promise<User | null>; join?: () => Promise<string> } = {},
) {
  const log: string[] = [];
  const clients: FakeClient[] = [];
  const remembered: Array<string | null> = [];
  const notices: string[] = [];
  const storage = memoryStore();
  const api: Api = {
    me: options.me ?? (async () => null),
    signIn: async (c) => (c.username === "bob" ? BOB : ANN),
    signUp: async (c) => (c.username === "bob" ? BOB : ANN),
    signOut: async () => {},
    joinList: options.join ?? (async () => "list-1"),
  };
  const session = createClientSession(
    {
      api,
      storage,
      openClient: (user) => {
        const c = fakeClient(user, log);
        clients.push(c);
        return c as unknown as SyncClient;
      },
      rememberDb: async (name) => void remembered.push(name),
      onStatus: () => {},
      isOnline: () => options.online ?? true,
      notify: (n) => void notices.push(n.message),
    },
    () => {},
  );
  return { session, log, clients, remembered, notices, storage };
}

describe("client session", () => {
  it("opens the remembered user's data offline without asking the server", async () => {
    let asked = 0;
    const me = async () => {
      asked += 1;
      return ANN;
    };
    const t = setup({ online: false, me });
    saveUser(t.storage, ANN);
    await t.session.boot();
    expect(asked).toBe(0);
    expect(t.log).toEqual(["start u-ann"]);
    expect(t.session.snapshot()).toMatchObject({ user: ANN, phase: "ready" });
    await expect.poll(() => t.remembered).toEqual(["shoplist-u-ann"]);
  });

  it("shows signed-out on a 401 and keeps the client and its local data", async () => {
    const t = setup({ me: async () => null });
    saveUser(t.storage, ANN);
    await t.session.boot();
    const snap = t.session.snapshot();
    expect(snap.status?.state).toBe("signed-out");
    expect(snap.client).toBe(t.clients[0]);
    expect(t.log).toEqual(["start u-ann"]);
    expect(loadUser(t.storage)).toEqual(ANN);
  });

  it("resumes the same client when the same user signs in again", async () => {
    const t = setup({ me: async () => null });
    saveUser(t.storage, ANN);
    await t.session.boot();
    t.clients[0]?.setStatus({ state: "signed-out", pendingCount: 2 });
    await t.session.signIn({ username: "ann", password: "pw" });
    expect(t.log).toEqual(["start u-ann", "resume u-ann"]);
    t.clients[0]?.setStatus({ state: "synced", pendingCount: 0 });
    expect(t.session.snapshot().status?.state).toBe("synced");
  });

  it("gives another user their own database", async () => {
    const t = setup({ me: async () => null });
    saveUser(t.storage, ANN);
    await t.session.boot();
    await t.session.signIn({ username: "bob", password: "pw" });
    expect(t.log).toEqual(["start u-ann", "stop u-ann", "start u-bob"]);
    expect(t.session.snapshot().user).toEqual(BOB);
    expect(loadUser(t.storage)).toEqual(BOB);
    await expect.poll(() => t.remembered.at(-1)).toBe("shoplist-u-bob");
  });

  it("stops syncing this user's database when another tab signs in as someone else", async () => {
    const t = setup();
    await t.session.signIn({ username: "ann", password: "pw" });
    // Another tab of the browser signs in as Bob: the session cookie is now Bob's.
    saveUser(t.storage, BOB);
    await t.session.storedUserChanged();
    expect(t.log).toEqual(["start u-ann", "stop u-ann", "start u-bob"]);
    expect(t.session.snapshot()).toMatchObject({ user: BOB, client: t.clients[1] });
    // And signs out: this tab shows no one's data.
    forgetUser(t.storage);
    await t.session.storedUserChanged();
    expect(t.log.at(-1)).toBe("stop u-bob");
    expect(t.session.snapshot()).toMatchObject({ user: null, client: null });
    // Unchanged (another key of the storage changed): nothing happens.
    await t.session.storedUserChanged();
    expect(t.log).toHaveLength(4);
  });

  it("signs in without typing when the cookie is still valid", async () => {
    const t = setup({ me: async () => ANN });
    await t.session.boot();
    expect(t.log).toEqual(["start u-ann"]);
    expect(loadUser(t.storage)).toEqual(ANN);
  });

  it("forgets the user on sign-out, reports what stays unsynced, keeps the database", async () => {
    const t = setup({ me: async () => ANN });
    await t.session.boot();
    t.clients[0]?.setStatus({ pendingCount: 3 });
    await expect(t.session.signOut()).resolves.toEqual({ user: ANN, pending: 3 });
    expect(loadUser(t.storage)).toBeNull();
    expect(t.log).toEqual(["start u-ann", "stop u-ann"]);
    expect(t.remembered.at(-1)).toBeNull();
    expect(t.session.snapshot()).toMatchObject({ user: null, client: null, status: null });
  });

  it("reports a failing session check instead of signing the person out", async () => {
    const t = setup({ me: async () => Promise.reject(new ApiError("HTTP_500", "boom", 500)) });
    saveUser(t.storage, ANN);
    await t.session.boot();
    expect(t.session.snapshot().status?.state).toBe("synced");
    expect(t.notices).toEqual(["Could not check your session: boom"]);
  });

  it("explains that joining needs a connection", async () => {
    const t = setup({
      me: async () => ANN,
      join: () => Promise.reject(new ApiError("NETWORK", "Failed to fetch", 0)),
    });
    await t.session.boot();
    await expect(t.session.joinList("ABCDEFGHIJ")).rejects.toThrow(
      "You are offline. Joining a list needs a connection.",
    );
  });

  it("turns a 401 while joining into the signed-out state", async () => {
    const t = setup({
      me: async () => ANN,
      join: () => Promise.reject(new ApiError("UNAUTHORIZED", "no session", 401)),
    });
    await t.session.boot();
    await expect(t.session.joinList("ABCDEFGHIJ")).rejects.toThrow("Sign in again");
    expect(t.session.snapshot().status?.state).toBe("signed-out");
  });
});
