import { type EngineCore, requireSession } from "./engine-core.js";
import type { NetworkLoop } from "./network-loop.js";
import { closeSession, openSession } from "./open-session.js";
import { onStorageLost } from "./platform-hooks.js";
import type { PullLoop } from "./pull-loop.js";
import { reloadSession } from "./store-refresh.js";
import { announceChanged, post } from "./tab-channel.js";

/** The explicit sync calls of the public API (rules L8, L11, L14). */

export async function syncNow(core: EngineCore, pulls: PullLoop): Promise<void> {
  const session = requireSession(core);
  if (!core.net.leader) {
    announceChanged(core, []);
    return;
  }
  // A batch already with the server when we were called may fail after our retryNow(): then
  // the retry we asked for is the next attempt, not the backoff timer's (rule L18).
  const joined = session.queue.getState().status === "processing";
  session.queue.retryNow();
  const push = async (): Promise<void> => {
    await session.queue.drain();
    if (joined && session.queue.getState().status === "backoff") {
      session.queue.retryNow();
      await session.queue.drain();
    }
  };
  await Promise.all([push(), pulls.pull()]);
}

export async function resumeAfterSignIn(
  core: EngineCore,
  pulls: PullLoop,
  network: NetworkLoop,
): Promise<void> {
  const session = requireSession(core);
  core.net.signedOut = false;
  core.net.lastError = null;
  if (core.net.leader) {
    session.queue.resume();
    network.start();
    await Promise.all([session.queue.drain(), pulls.pull()]);
  } else {
    // The leader is the one that stopped on the 401: it resumes.
    post(core, { type: "resume", from: core.tabId });
  }
  core.hooks.emitStatus();
}

export async function drainOnce(core: EngineCore): Promise<{ pushed: number; remaining: number }> {
  const open = core.session;
  if (open) {
    const before = core.pushed;
    // Only the leader's queue runs; without leadership (autoSync: false, a follower) this drain
    // runs it once and pauses it again. A 401 stop stays until resumeAfterSignIn().
    const borrowed = !core.net.leader && !core.net.signedOut;
    if (borrowed) open.queue.resume();
    else open.queue.retryNow();
    try {
      await open.queue.drain();
    } finally {
      if (borrowed && !core.net.leader) open.queue.pause();
    }
    return { pushed: core.pushed - before, remaining: open.queue.getState().pending };
  }
  // Service worker: no leader, stream or timers; open, push what is pending, close.
  const session = await openSession(core, () => onStorageLost(core));
  core.session = session;
  try {
    await reloadSession(core, session, "all", false);
    session.queue.resume();
    await session.queue.drain();
    await session.queue.refresh();
    return { pushed: core.pushed, remaining: session.queue.getState().pending };
  } finally {
    core.session = undefined;
    await closeSession(session);
  }
}
