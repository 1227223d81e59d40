import type { Leader } from "./types.js";

/** Fallback without Web Locks (one tab, a service worker, Node): this instance always leads. */
export const alwaysLeader: Leader = {
  campaign(_name, onAcquire) {
    let active = true;
    queueMicrotask(() => {
      if (active) onAcquire();
    });
    return () => {
      active = false;
    };
  },
};

interface LockManagerLike {
  request(
    name: string,
    options: { signal?: AbortSignal },
    callback: (lock: unknown) => Promise<void>,
  ): Promise<unknown>;
}

/**
 * Leader election over Web Locks: the holder of the exclusive lock leads. The browser releases
 * it when the tab closes or crashes, and the next waiting tab's request is granted.
 */
export function webLocksLeader(locks: LockManagerLike): Leader {
  return {
    campaign(name, onAcquire, onLose) {
      const abort = new AbortController();
      let release: (() => void) | undefined;
      let held = false;
      locks
        .request(name, { signal: abort.signal }, () => {
          held = true;
          onAcquire();
          return new Promise<void>((resolve) => {
            release = resolve;
          });
        })
        .then(
          () => {
            if (held) onLose();
          },
          (error: unknown) => {
            // Leaving before the lock was granted aborts the request: that is no failure.
            if (!abort.signal.aborted) throw error;
          },
        );
      return () => {
        abort.abort();
        release?.();
      };
    },
  };
}

/** The default: Web Locks when the platform has them, otherwise always leader. */
export function defaultLeader(): Leader {
  const locks = (globalThis.navigator as { locks?: LockManagerLike } | undefined)?.locks;
  return locks ? webLocksLeader(locks) : alwaysLeader;
}

/**
 * In-memory leader election for tests: instances created from one election behave like tabs
 * of one browser sharing a lock manager.
 */
export function createMemoryLeaderElection(): { leader(): Leader } {
  const waiting = new Map<string, { onAcquire: () => void; onLose: () => void }[]>();
  const grant = (name: string): void => {
    const head = waiting.get(name)?.[0];
    if (head) queueMicrotask(head.onAcquire);
  };
  return {
    leader: () => ({
      campaign(name, onAcquire, onLose) {
        const candidate = { onAcquire, onLose };
        const line = waiting.get(name) ?? [];
        waiting.set(name, line);
        line.push(candidate);
        if (line.length === 1) grant(name);
        return () => {
          const index = line.indexOf(candidate);
          if (index < 0) return;
          line.splice(index, 1);
          if (index === 0) {
            onLose();
            grant(name);
          }
        };
      },
    }),
  };
}
