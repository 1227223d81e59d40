import { type Changes, changesSchema, pokeSchema, STREAM_EVENTS } from "@sync/protocol";
import { backoffDelay } from "@sync/queue";
import type { Timers } from "./timers.js";
import type { EventSourceLike } from "./types.js";

export interface PokeStreamOptions {
  url: string;
  open: (url: string) => EventSourceLike;
  /** A poke with the server's newest cursor. */
  onPoke: (cursor: number) => void;
  /** Rows the server vouched for (asked for with `?changes=1`). */
  onChanges: (changes: Changes) => void;
  /** (Re)connected: pokes may have been missed, so pull. */
  onOpen: () => void;
  timers: Timers;
  random: () => number;
  backoff: { baseMs?: number; maxMs?: number };
}

/**
 * The SSE stream of pokes (rule L8). On error it closes the source and reconnects after an
 * exponential backoff with jitter; missed pokes cost nothing because pull is cursor-based.
 */
export class PokeStream {
  readonly #options: PokeStreamOptions;
  #source: EventSourceLike | undefined;
  #timer: unknown;
  #failures = 0;
  #stopped = true;

  constructor(options: PokeStreamOptions) {
    this.#options = options;
  }

  start(): void {
    if (!this.#stopped) return;
    this.#stopped = false;
    this.#connect();
  }

  stop(): void {
    this.#stopped = true;
    if (this.#timer !== undefined) this.#options.timers.clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#source?.close();
    this.#source = undefined;
  }

  #connect(): void {
    const source = this.#options.open(this.#options.url);
    this.#source = source;
    source.onopen = () => {
      this.#failures = 0;
      this.#options.onOpen();
    };
    source.onerror = () => {
      if (this.#source !== source) return;
      source.close();
      this.#source = undefined;
      this.#scheduleReconnect();
    };
    source.addEventListener(STREAM_EVENTS.poke, (event) => {
      const poke = pokeSchema.safeParse(parseJson(event.data));
      if (poke.success) this.#options.onPoke(poke.data.cursor);
    });
    source.addEventListener(STREAM_EVENTS.changes, (event) => {
      const changes = changesSchema.safeParse(parseJson(event.data));
      if (changes.success) this.#options.onChanges(changes.data);
    });
  }

  #scheduleReconnect(): void {
    if (this.#stopped) return;
    this.#failures++;
    const delay = Math.max(
      this.#options.backoff.baseMs ?? 500,
      backoffDelay(this.#failures, this.#options.random, this.#options.backoff),
    );
    this.#timer = this.#options.timers.setTimeout(() => {
      this.#timer = undefined;
      if (!this.#stopped) this.#connect();
    }, delay);
  }
}

function parseJson(data: string): unknown {
  try {
    return JSON.parse(data) as unknown;
  } catch {
    return undefined; // Not a poke we understand: the poll fallback covers it.
  }
}
