import type { QueueTimers } from "../queue";

/**
 * A clock and timers that move only when told, for tests without real
 * sleeps. `advance(ms)` runs due timers in time order; `runNext()` jumps to
 * the next timer. Callbacks run synchronously; await what they start.
 */
export interface ManualClock {
  now(): number;
  readonly timers: QueueTimers;
  /** Moves time forward by `ms`, running every timer that comes due. */
  advance(ms: number): void;
  /** Jumps to the next timer and runs it; false when none is set. */
  runNext(): boolean;
  /** Number of timers set and not yet run or cleared. */
  pendingTimers(): number;
}

interface Timer {
  id: number;
  at: number;
  fn: () => void;
}

export function createManualClock(start = 0): ManualClock {
  let time = start;
  let nextId = 1;
  const timers = new Map<number, Timer>();

  const due = (limit: number): Timer | undefined => {
    let first: Timer | undefined;
    for (const timer of timers.values()) {
      if (timer.at > limit) continue;
      if (!first || timer.at < first.at || (timer.at === first.at && timer.id < first.id)) {
        first = timer;
      }
    }
    return first;
  };
  const run = (timer: Timer): void => {
    timers.delete(timer.id);
    time = Math.max(time, timer.at);
    timer.fn();
  };

  return {
    now: () => time,
    timers: {
      setTimeout(fn, ms) {
        const id = nextId++;
        timers.set(id, { id, at: time + Math.max(0, ms), fn });
        return id;
      },
      clearTimeout(handle) {
        if (typeof handle === "number") timers.delete(handle);
      },
    },
    advance(ms) {
      const target = time + ms;
      for (let timer = due(target); timer; timer = due(target)) run(timer);
      time = target;
    },
    runNext() {
      const timer = due(Number.POSITIVE_INFINITY);
      if (!timer) return false;
      run(timer);
      return true;
    },
    pendingTimers: () => timers.size,
  };
}
