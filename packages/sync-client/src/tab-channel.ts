import type { Row } from "@sync/protocol";
import { isTabMessage, type SharedStatus, type TabMessage } from "./channel.js";
import type { EngineCore } from "./engine-core.js";

export function post(core: EngineCore, message: TabMessage): void {
  core.session?.channel?.postMessage(message);
}

/** Tells the other tabs to re-read: pending work always, and these confirmed rows. */
export function announceChanged(core: EngineCore, rows: readonly Row[] | "all"): void {
  const keys = rows === "all" ? "all" : rows.map((row) => [row.entity, row.id] as const);
  post(core, { type: "changed", from: core.tabId, rows: keys });
}

/**
 * Messages from the other tabs of this database (rule L13): the leader's network status, a
 * follower's sign-in, a new tab asking for the status, and "changed" (re-read, then drain).
 */
export function onTabMessage(
  core: EngineCore,
  data: unknown,
  ports: { ownStatus: () => SharedStatus; resumeAfterSignIn: () => Promise<void> },
): void {
  if (!isTabMessage(data) || data.from === core.tabId || !core.session) return;
  const { hooks } = core;
  if (data.type === "status") {
    core.net.shared = data.status;
    hooks.emitStatus();
  } else if (data.type === "resume") {
    if (core.net.leader) ports.resumeAfterSignIn().catch((error: unknown) => hooks.fail(error));
  } else if (data.type === "hello") {
    if (core.net.leader)
      post(core, { type: "status", from: core.tabId, status: ports.ownStatus() });
  } else {
    hooks
      .refresh(data.rows)
      .then(() => {
        if (core.net.leader) {
          core.session?.queue.drain().catch((error: unknown) => hooks.fail(error));
        }
      })
      .catch((error: unknown) => hooks.fail(error));
  }
}
