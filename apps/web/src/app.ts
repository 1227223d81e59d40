import { type ClientSessionDeps, createClientSession, messageOf } from "./client-session.js";
import { h, setText, show } from "./dom.js";
import { formatRoute, parseHash, type Route } from "./route.js";
import { USER_KEY } from "./session.js";
import { createAuthPanel } from "./ui/auth-panel.js";
import { createConflictInbox } from "./ui/conflict-inbox.js";
import type { Actions, Screen } from "./ui/context.js";
import { createDeadLetterPanel } from "./ui/dead-letter-panel.js";
import { createListScreen } from "./ui/list-screen.js";
import { createListsScreen } from "./ui/lists-screen.js";
import { createNoticeArea } from "./ui/notice-area.js";
import { createNotFoundScreen, createStatePanel } from "./ui/simple-screens.js";
import { createStatusBar } from "./ui/status-bar.js";
import { createUiNoticeStore, groupNotices, type UiNotice } from "./ui-notices.js";

export type AppDeps = Omit<ClientSessionDeps, "notify"> & { now(): number };

/** The page: layout, routing and rendering; who is signed in lives in the client session. */
export function createApp(root: HTMLElement, deps: AppDeps) {
  let route: Route = parseHash(location.hash);
  let screen: Screen | null = null;
  let screenKey = "";
  let scheduled = false;

  const uiNotices = createUiNoticeStore(deps.now);
  const notify = (notice: Omit<UiNotice, "id" | "at">): void => {
    const id = uiNotices.add(notice);
    // Errors stay until dismissed; an undo stays long enough to be reached by keyboard.
    if (notice.level !== "error") {
      setTimeout(() => uiNotices.dismiss(id), notice.undo ? 30_000 : 10_000);
    }
  };
  const session = createClientSession({ ...deps, notify }, schedule);
  const client = () => session.snapshot().client;

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
    notify,
    navigate(next) {
      location.hash = formatRoute(next);
    },
    async joinList(code) {
      const listId = await session.joinList(code);
      notify({ level: "info", message: "You joined the list." });
      actions.navigate({ name: "list", listId });
      const c = client();
      if (c) await actions.run(() => c.syncNow(), "Could not load the list yet");
    },
  };

  const statusBar = createStatusBar(() => {
    const c = client();
    if (c) void actions.run(() => c.syncNow(), "Could not sync");
  });
  const authPanel = createAuthPanel({
    signIn: async (c) => {
      await session.signIn(c);
      main.focus();
    },
    signUp: async (c) => {
      await session.signUp(c);
      main.focus();
    },
  });
  const clientNotices = createNoticeArea("inline", "Messages about your data");
  const toasts = createNoticeArea("toast", "Messages");
  const deadLetterPanel = createDeadLetterPanel(
    actions,
    () => void session.refreshDeadLetters(true),
    client,
  );
  const conflictInbox = createConflictInbox(actions, client);
  const statePanel = createStatePanel(() => void session.retryOpen());

  const userName = h("span", { class: "user-name", testid: "current-user" });
  const signOutButton = h(
    "button",
    { type: "button", class: "link-button", testid: "signout" },
    ["Sign out"],
    { click: () => void signOut() },
  );
  const screenHost = h("div", { class: "screen-host" });
  const main = h("main", { id: "main", class: "main", tabindex: -1 }, [
    clientNotices.el,
    authPanel.el,
    statePanel.el,
    deadLetterPanel.el,
    conflictInbox.el,
    screenHost,
  ]);
  root.replaceChildren(
    // Not href="#main": the hash is the router's, so the skip link moves focus itself.
    h("a", { href: "#/", class: "skip-link" }, ["Skip to content"], {
      click: (event) => {
        event.preventDefault();
        main.focus();
      },
    }),
    h("header", { class: "topbar" }, [
      h("div", { class: "topbar-inner" }, [
        h("a", { href: "#/lists", class: "brand" }, [
          h("img", { src: "/icon.svg", alt: "", width: 28, height: 28 }),
          "Shopping List",
        ]),
        h("div", { class: "account" }, [userName, signOutButton]),
      ]),
      statusBar.el,
    ]),
    main,
    toasts.el,
  );

  async function signOut(): Promise<void> {
    const { user, pending } = await session.signOut().catch((error: unknown) => {
      notify({ level: "error", message: `Signing out did not finish: ${messageOf(error)}` });
      return { user: null, pending: 0 };
    });
    if (user && pending > 0) {
      notify({
        level: "info",
        message: `${pending} unsynced change${pending === 1 ? " stays" : "s stay"} on this device until ${user.username} signs in again.`,
      });
    }
    if (route.name !== "lists") actions.navigate({ name: "lists" });
    render();
    authPanel.focus();
  }

  function schedule(): void {
    if (scheduled) return;
    scheduled = true;
    queueMicrotask(render);
  }

  function render(): void {
    scheduled = false;
    const now = deps.now();
    const { user, client: c, status, phase, openError, deadLetters } = session.snapshot();
    statusBar.update(status, now);
    setText(userName, user?.username ?? "");
    show(userName, user !== null);
    show(signOutButton, user !== null);

    const needAuth = user === null || status?.state === "signed-out";
    show(authPanel.el, needAuth);
    const pending = status?.pendingCount ?? 0;
    const kept =
      pending > 0
        ? `: ${pending} change${pending === 1 ? " is" : "s are"} kept on this device`
        : "";
    authPanel.update(
      user && needAuth ? `Your session has ended. Sign in again to sync${kept}.` : null,
      user?.username ?? null,
    );
    renderNotices();

    statePanel.update(
      phase === "opening" ? "loading" : phase === "failed" ? "failed" : "hidden",
      phase === "failed"
        ? `Could not open the data on this device: ${openError}`
        : "Opening your lists…",
    );
    const ready = c !== null && phase === "ready";
    show(screenHost, ready);
    if (!c || !ready) {
      deadLetterPanel.update(c, [], now);
      show(conflictInbox.el, false);
      if (screen) {
        screen = null;
        screenKey = "";
        screenHost.replaceChildren();
      }
      return;
    }
    deadLetterPanel.update(c, deadLetters, now);
    conflictInbox.update(c, c.conflicts());
    ensureScreen();
    screen?.update({ client: c, status, now });
  }

  function renderNotices(): void {
    const c = client();
    // The client raises one notice per refused operation; identical ones show once, counted.
    clientNotices.update(
      groupNotices(c?.notices() ?? []).map(({ first, ids }) => ({
        key: first.id,
        level: first.level,
        message: ids.length > 1 ? `${first.message} (×${ids.length})` : first.message,
        undo: null,
        dismiss: () => {
          for (const id of ids) c?.dismissNotice(id);
          schedule();
        },
      })),
    );
    toasts.update(
      uiNotices.all().map((n) => {
        const undo = n.undo;
        return {
          key: n.id,
          level: n.level,
          message: n.message,
          undo: undo
            ? () => {
                uiNotices.dismiss(n.id);
                void actions.run(undo, "Could not undo");
              }
            : null,
          dismiss: () => uiNotices.dismiss(n.id),
        };
      }),
    );
  }

  /** Builds the screen of the current route once; later renders only update it. */
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

  return {
    async start(): Promise<void> {
      window.addEventListener("hashchange", () => {
        route = parseHash(location.hash);
        const ready = session.snapshot().phase === "ready";
        const changed = ready && ensureScreen();
        render();
        if (changed) screen?.focus();
      });
      for (const type of ["online", "offline"]) window.addEventListener(type, schedule);
      // Another tab signed in as someone else (or out): the shared cookie is no longer ours.
      window.addEventListener("storage", (event) => {
        if (event.key !== null && event.key !== USER_KEY) return;
        session.storedUserChanged().catch((error: unknown) => {
          console.error("switching to the other tab's user failed", error);
        });
      });
      // Keeps "last sync 2 min ago" honest without a change to trigger a render.
      setInterval(schedule, 15_000);
      uiNotices.subscribe(schedule);
      render();
      await session.boot();
    },
  };
}
