import { STREAM_CHANGES_PARAM, STREAM_CLIENT_PARAM } from "@sync/protocol";
import { clearTimer, DEFAULT_POLL_MS, type EngineCore } from "./engine-core.js";
import { PokeStream } from "./poke-stream.js";
import type { EventSourceLike } from "./types.js";

/**
 * What only the leader runs (rules L8, L13): the poke stream, polling, and taking over or giving
 * up the queue when leadership changes.
 */
export class NetworkLoop {
  readonly #core: EngineCore;
  #stream: PokeStream | undefined;
  #pollTimer: unknown;

  constructor(core: EngineCore) {
    this.#core = core;
  }

  async becomeLeader(): Promise<void> {
    const core = this.#core;
    const session = core.session;
    if (!session) return;
    core.net.leader = true;
    try {
      // A follower's memory may be behind what the old leader stored.
      session.meta = await session.store.readMeta();
      const syncedAt = session.meta.lastSyncedAt ?? null;
      if (syncedAt !== null && syncedAt > (core.net.lastSyncedAt ?? 0)) {
        core.net.lastSyncedAt = syncedAt;
      }
      await core.hooks.refresh("all");
      // Stopped or demoted while reading: starting the network now would outlive the session.
      if (core.session !== session || !core.net.leader) return;
      if (!core.net.signedOut) {
        session.queue.resume();
        this.start();
        this.kickPull();
      }
    } catch (error) {
      core.hooks.fail(error);
    }
    core.hooks.emitStatus();
  }

  stopLeading(): void {
    const core = this.#core;
    if (!core.net.leader) return;
    core.net.leader = false;
    core.session?.queue.pause();
    this.stop();
    core.hooks.emitStatus();
  }

  start(): void {
    const core = this.#core;
    const open = this.#eventSourceFactory();
    if (open && !this.#stream) {
      this.#stream = new PokeStream({
        url: streamUrl(core.options.baseUrl, core.session?.meta.clientId),
        open,
        onPoke: (cursor) => {
          if (!core.session || cursor > core.session.meta.cursor) this.kickPull();
          this.#retryWaitingPush();
        },
        onChanges: (changes) => {
          if (core.net.leader && !core.net.signedOut) {
            core.hooks.applyChanges(changes).catch((error: unknown) => core.hooks.fail(error));
          }
          this.#retryWaitingPush();
        },
        onOpen: () => {
          core.net.networkUp = true;
          this.kickPull();
          core.session?.queue.retryNow();
        },
        timers: core.timers,
        random: core.random,
        backoff: core.options.backoff ?? {},
      });
      this.#stream.start();
    }
    this.#schedulePoll();
  }

  stop(): void {
    this.#stream?.stop();
    this.#stream = undefined;
    clearTimer(this.#core.timers, this.#pollTimer);
    this.#pollTimer = undefined;
  }

  /** The `online` event: retry and pull now; a stream that died offline reconnects at once. */
  onOnline(): void {
    const core = this.#core;
    core.net.networkUp = true;
    core.session?.queue.retryNow();
    this.kickPull();
    if (core.net.leader && !core.net.signedOut) {
      this.stop();
      this.start();
    }
    core.hooks.emitStatus();
  }

  kickPull(): void {
    const core = this.#core;
    if (!core.net.leader || core.net.signedOut) return;
    core.hooks.pull().catch((error: unknown) => core.hooks.fail(error));
  }

  /**
   * A stream event proves the server reachable: a push waiting out a backoff goes now. An idle
   * queue has nothing to retry, and a drain pass would only read storage while the change is
   * being applied (the stream's events are the busiest moments of a client).
   */
  #retryWaitingPush(): void {
    const queue = this.#core.session?.queue;
    if (queue?.getState().status === "backoff") queue.retryNow();
  }

  #schedulePoll(): void {
    const core = this.#core;
    clearTimer(core.timers, this.#pollTimer);
    this.#pollTimer = core.timers.setTimeout(() => {
      this.#pollTimer = undefined;
      if (!core.net.leader || core.net.signedOut) return;
      this.kickPull();
      core.session?.queue.drain().catch((error: unknown) => core.hooks.fail(error));
      this.#schedulePoll();
    }, core.options.pollIntervalMs ?? DEFAULT_POLL_MS);
  }

  #eventSourceFactory(): ((url: string) => EventSourceLike) | null {
    const option = this.#core.options.eventSource;
    if (option !== undefined) return option;
    const EventSourceCtor = (
      globalThis as { EventSource?: new (url: string, init?: object) => EventSourceLike }
    ).EventSource;
    return EventSourceCtor ? (url) => new EventSourceCtor(url, { withCredentials: true }) : null;
  }
}

/** Rows instead of pokes (S5), for this client: another user's session is refused (A4). */
function streamUrl(baseUrl: string, clientId: string | undefined): string {
  const url = `${baseUrl}/api/sync/stream?${STREAM_CHANGES_PARAM}=1`;
  return clientId ? `${url}&${STREAM_CLIENT_PARAM}=${encodeURIComponent(clientId)}` : url;
}
