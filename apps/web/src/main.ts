import "./styles.css";
import { createApi } from "./api.js";
import { createApp } from "./app.js";
import { backgroundSyncRequester } from "./background-sync.js";
import { setLastDbName } from "./meta-db.js";
import { dbNameFor } from "./session.js";
import { openSyncClient } from "./sync.js";

const root = document.getElementById("app");
if (!root) throw new Error("index.html has no #app element");

const swSupported = "serviceWorker" in navigator && import.meta.env.PROD;

const requestBackgroundSync = backgroundSyncRequester(
  () => (swSupported ? navigator.serviceWorker.ready : null),
  (error) => console.warn("Background Sync registration failed; the page keeps syncing", error),
);

const app = createApp(root, {
  api: createApi(fetch.bind(globalThis)),
  storage: localStorage,
  // The user id lets the client drop a list's local data when the person leaves it.
  openClient: (user) => openSyncClient(dbNameFor(user.id), { userId: user.id }),
  rememberDb: setLastDbName,
  onStatus: requestBackgroundSync,
  now: () => Date.now(),
  isOnline: () => navigator.onLine,
});

void app.start();

// A tab closed with work still queued leaves it to Background Sync.
document.addEventListener("visibilitychange", () => {
  if (document.visibilityState === "hidden") requestBackgroundSync.pageHidden();
});

if (swSupported) {
  // The worker precaches the app shell so a reload or cold start works offline.
  navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch((error: unknown) => {
    console.error("Service worker registration failed: offline reloads will not work", error);
  });
}
