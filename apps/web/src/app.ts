import type { DeadLetterView, SyncClient, SyncStatus } from "@sync/sync-client";
import { type Api, ApiError, type Credentials } from "./api.js";
import { h, setText, show } from "./dom.js";
import { formatRoute, parseHash, type Route } from "./route.js";
import {
  dbNameFor,
  forgetUser,
  type KeyValueStore,
  loadUser,
  saveUser,
  type User,
} from "./session.js";
import { createAuthPanel } from "./ui/auth-panel.js";
import { createConflictInbox } from "./ui/conflict-inbox.js";
import type { Actions, Screen } from "./ui/context.js";
import { createDeadLetterPanel } from "./ui/dead-letter-panel.js";
import { createListScreen } from "./ui/list-screen.js";
import { createListsScreen } from "./ui/lists-screen.js";
import { createNoticeArea } from "./ui/notice-area.js";
import { createNotFoundScreen, createStatePanel } from "./ui/simple-screens.js";
import { createStatusBar } from "./ui/status-bar.js";
import { createUiNoticeStore, type UiNotice } from "./ui-notices.js";

export interface AppDeps {
  readonly api: Api;
  readonly storage: KeyValueStore;
  openClient(user: User): SyncClient;
  /** Tells the service worker which database a Background Sync should drain (null: none). */
  rememberDb(dbName: string | null): Promise<void>;
  onStatus(status: SyncStatus): void;
  now(): number;
  isOnline(): boolean;
}

type Phase = "none" | "opening" | "ready" | "failed";

/** Wires session, sync client and screens; re-renders the current screen on every change. */
export function createApp(root: HTMLElement, deps: AppDeps) {
  let user: User | null = null;
  let client: SyncClient | null = null;
  let status: SyncStatus | null = null;
  let phase: Phase = "none";
  let openError = "";
  let sessionEnded = false;
  let deadLetters: DeadLetterView[] = [];
  let deadLetterCount = -1;
  let route: Route = parseHash(location.hash);
  let screen: Screen | null = null;
  let screenKey = "";
  let unsubscribe: Array<() => void> = [];
  let scheduled = false;

  const uiNotices = createUiNoticeStore(deps.now);

  const actions: Actions = {
    async run(task, failure) {
      try {
        await task();
        return true;
      } catch (error) {
        console.error(failure, error);
        notify({ level: "error", message: `${failure}: ${messageOf(error)}` });
        return false;
      }
    },
    notify: (n) => notify(n),
    navigate(next) {
      location.hash = formatRoute(next);
    },
    async joinList(code) {
      const c = client;
      if (!c) throw new Error("Sign in first.");
      let listId: string;
      try {
        listId = await deps.api.joinList(code);
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) sessionEnded = true;
        if (error instanceof ApiError && error.code === "NETWORK") {
          throw new Error("You are offline. Joining a list needs a connection.", { cause: error });
        }
        throw error;
      }
      notify({ level: "info", message: "You joined the list." });
      actions.navigate({ name: "list", listId });
      await actions.run(() => c.syncNow(), "Could not load the list yet");
    },
  };

  function notify(notice: Omit<UiNotice, "id" | "at">): void {
    const id = uiNotices.add(notice);
    // Errors stay until dismissed; an undo stays long enough to be reached by keyboard.
    if (notice.level !== "error")
      setTimeout(() => uiNotices.dismiss(id), notice.undo ? 30_000 : 10_000);
  }

  const statusBar = createStatusBar(() => {
    const c = client;
    if (c) void actions.run(() => c.syncNow(), "Could not sync");
  });
  const authPanel = createAuthPanel({
    signIn: async (c: Credentials) => signedIn(await deps.api.signIn(c)),
    signUp: async (c: Credentials) => signedIn(await deps.api.signUp(c)),
  });
  const noticeArea = createNoticeArea(
    (id) => {
      client?.dismissNotice(id);
      schedule();
    },
    (id) => uiNotices.dismiss(id),
    (notice) => {
      uiNotices.dismiss(notice.id);
      const undo = notice.undo;
      if (undo) void actions.run(undo, "Could not undo");
    },
  );
  const deadLetterPanel = createDeadLetterPanel(
    actions,
    () => void refreshDeadLetters(true),
    () => client,
  );
  const conflictInbox = createConflictInbox(actions, () => client);
  const statePanel = createStatePanel(() => {
    if (user) void openFor(user);
  });

  const userName = h("span", { class: "user-name", testid: "current-user" });
  const signOutButton = h(
    "button",
    { type: "button", class: "link-button", testid: "signout" },
    ["Sign out"],
    { click: () => void signOut() },
  );
  const screenHost = h("div", { class: "screen-host" });
  const main = h("main", { id: "main", class: "main", tabindex: -1 }, [
    authPanel.el,
    statePanel.el,
    deadLetterPanel.el,
    conflictInbox.el,
    screenHost,
  ]);
  root.replaceChildren(
    h("a", { href: "#main", class: "skip-link" }, ["Skip to content"]),
    h("header", { class: "topbar" }, [
      h("div", { class: "topbar-inner" }, [
        h("a", { href: "#/lists", class: "brand" }, ["🛒 Shopping List"]),
        h("div", { class: "account" }, [userName, signOutButton]),
      ]),
      statusBar.el,
    ]),
    main,
    noticeArea.el,
  );

  function schedule(): void {
    if (scheduled) return;
    scheduled = true;
    queueMicrotask(render);
  }

  function shownStatus(): SyncStatus | null {
    if (!status) return null;
    return sessionEnded && status.state !== "signed-out"
      ? { ...status, state: "signed-out" }
      : status;
  }

  function render(): void {
    scheduled = false;
    const now = deps.now();
    const visibleStatus = user ? shownStatus() : null;
    statusBar.update(visibleStatus, now);
    setText(userName, user ? user.username : "");
    show(userName, user !== null);
    show(signOutButton, user !== null);

    const needAuth = user === null || visibleStatus?.state === "signed-out";
    show(authPanel.el, needAuth);
    const pending = visibleStatus?.pendingCount ?? 0;
    authPanel.update(
      user && needAuth
        ? `Your session has ended. Sign in again to sync${pending > 0 ? `: ${pending} change${pending === 1 ? " is" : "s are"} kept on this device` : ""}.`
        : null,
      user?.username ?? null,
    );
    noticeArea.update(client?.notices() ?? [], uiNotices.all());

    const ready = client !== null && phase === "ready";
    statePanel.update(
      phase === "opening" ? "loading" : phase === "failed" ? "failed" : "hidden",
      phase === "failed"
        ? `Could not open the data on this device: ${openError}`
        : "Opening your lists…",
    );
    show(screenHost, ready);
    if (!client || !ready) {
      deadLetterPanel.update(client, [], now);
      show(conflictInbox.el, false);
      return;
    }
    deadLetterPanel.update(client, deadLetters, now);
    conflictInbox.update(client, client.conflicts());
    ensureScreen();
    screen?.update({ client, status: visibleStatus, now });
  }

  function ensureScreen(): boolean {
    const key = formatRoute(route);
    if (key === screenKey && screen) return false;
    screenKey = key;
    screen =
      route.name === "lists"
        ? createListsScreen(actions)
        : route.name === "list"
          ? createListScreen(route.listId, actions)
          : createNotFoundScreen(route.hash);
    if (route.name !== "list") document.title = "Shopping List";
    screenHost.replaceChildren(screen.el);
    return true;
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
      notify({ level: "error", message: `Could not read failed changes: ${messageOf(error)}` });
    }
    schedule();
  }

  async function closeClient(): Promise<void> {
    for (const u of unsubscribe) u();
    unsubscribe = [];
    const c = client;
    client = null;
    status = null;
    phase = "none";
    deadLetters = [];
    deadLetterCount = -1;
    screen = null;
    screenKey = "";
    screenHost.replaceChildren();
    if (c) await actions.run(() => c.stop(), "Could not close the local data cleanly");
  }

  async function openFor(next: User): Promise<void> {
    await closeClient();
    user = next;
    phase = "opening";
    schedule();
    const c = deps.openClient(next);
    client = c;
    unsubscribe.push(
      c.subscribe(schedule),
      c.subscribeStatus((s) => {
        if (client !== c) return;
        status = s;
        deps.onStatus(s);
        void refreshDeadLetters();
        schedule();
      }),
    );
    try {
      await c.start();
    } catch (error) {
      if (client !== c) return;
      console.error("opening the local store failed", error);
      phase = "failed";
      openError = messageOf(error);
      schedule();
      return;
    }
    if (client !== c) return;
    status = c.getStatus();
    deps.onStatus(status);
    phase = "ready";
    schedule();
    void refreshDeadLetters(true);
    deps.rememberDb(dbNameFor(next.id)).catch((error: unknown) => {
      console.error("rememberDb failed", error);
      notify({ level: "warning", message: "Background sync is unavailable in this browser." });
    });
  }

  async function signedIn(next: User): Promise<void> {
    saveUser(deps.storage, next);
    if (client && user?.id === next.id) {
      user = next;
      sessionEnded = false;
      schedule();
      await actions.run(
        () => client?.resumeAfterSignIn() ?? Promise.resolve(),
        "Could not resume syncing",
      );
    } else {
      await openFor(next);
    }
    main.focus();
  }

  async function signOut(): Promise<void> {
    const was = user;
    const pending = status?.pendingCount ?? 0;
    try {
      await deps.api.signOut();
    } catch (error) {
      // Offline: forget the session here anyway; the server's cookie expires on its own.
      if (!(error instanceof ApiError && (error.code === "NETWORK" || error.status === 401))) {
        notify({
          level: "warning",
          message: `The server did not confirm the sign-out: ${messageOf(error)}`,
        });
      }
    }
    await closeClient();
    forgetUser(deps.storage);
    user = null;
    sessionEnded = false;
    await deps
      .rememberDb(null)
      .catch((error: unknown) => console.error("rememberDb failed", error));
    if (was && pending > 0) {
      notify({
        level: "info",
        message: `${pending} unsynced change${pending === 1 ? " stays" : "s stay"} on this device until ${was.username} signs in again.`,
      });
    }
    if (route.name !== "lists") actions.navigate({ name: "lists" });
    render();
    authPanel.focus();
  }

  async function verifySession(): Promise<void> {
    if (!deps.isOnline()) return;
    let me: User | null;
    try {
      me = await deps.api.me();
    } catch (error) {
      if (!(error instanceof ApiError && error.code === "NETWORK")) {
        notify({ level: "warning", message: `Could not check your session: ${messageOf(error)}` });
      }
      return;
    }
    if (me === null) {
      if (user) sessionEnded = true;
      schedule();
      return;
    }
    if (user?.id === me.id) return;
    saveUser(deps.storage, me);
    await openFor(me);
  }

  return {
    async start(): Promise<void> {
      window.addEventListener("hashchange", () => {
        route = parseHash(location.hash);
        const changed = phase === "ready" && client !== null && ensureScreen();
        render();
        if (changed) screen?.focus();
      });
      for (const type of ["online", "offline"]) window.addEventListener(type, schedule);
      // Keeps "synced 2 min ago" honest without a change to trigger a render.
      setInterval(schedule, 15_000);
      uiNotices.subscribe(schedule);
      const remembered = loadUser(deps.storage);
      if (remembered) await openFor(remembered);
      else render();
      await verifySession();
    },
  };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
