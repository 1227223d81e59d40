export interface SseEvent {
  event: string;
  data: string;
  retry?: number;
}

/** Reads an SSE response body event by event; `next` waits for the first event that matches. */
export class SseReader {
  readonly events: SseEvent[] = [];
  readonly #reader: ReadableStreamDefaultReader<Uint8Array>;
  readonly #decoder = new TextDecoder();
  #buffer = "";
  #done = false;
  #waiters: (() => void)[] = [];

  constructor(body: ReadableStream<Uint8Array>) {
    this.#reader = body.getReader();
    void this.#pump();
  }

  get done(): boolean {
    return this.#done;
  }

  async #pump(): Promise<void> {
    try {
      for (;;) {
        const { done, value } = await this.#reader.read();
        if (done) break;
        this.#buffer += this.#decoder.decode(value, { stream: true });
        let end = this.#buffer.indexOf("\n\n");
        while (end >= 0) {
          this.#parse(this.#buffer.slice(0, end));
          this.#buffer = this.#buffer.slice(end + 2);
          end = this.#buffer.indexOf("\n\n");
        }
        this.#wake();
      }
    } catch {
      // A cancelled or aborted body ends the stream like a close does.
    }
    this.#done = true;
    this.#wake();
  }

  #parse(block: string): void {
    const event: SseEvent = { event: "message", data: "" };
    const data: string[] = [];
    for (const line of block.split("\n")) {
      const colon = line.indexOf(":");
      const key = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
      if (key === "event") event.event = value;
      else if (key === "data") data.push(value);
      else if (key === "retry") event.retry = Number(value);
    }
    event.data = data.join("\n");
    this.events.push(event);
  }

  #wake(): void {
    for (const wake of this.#waiters.splice(0)) wake();
  }

  /** Resolves with the first event at index >= `from` matching `match`; rejects if the stream ends. */
  async next(match: (e: SseEvent) => boolean, from = 0): Promise<SseEvent> {
    for (;;) {
      const found = this.events.slice(from).find(match);
      if (found) return found;
      if (this.#done) throw new Error(`stream ended; events: ${JSON.stringify(this.events)}`);
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
    }
  }

  /** Waits for the stream to end. */
  async closed(): Promise<void> {
    while (!this.#done) await new Promise<void>((resolve) => this.#waiters.push(resolve));
  }

  async cancel(): Promise<void> {
    await this.#reader.cancel().catch(() => {});
  }
}

export const isPoke = (e: SseEvent) => e.event === "poke";
export const pokeCursor = (e: SseEvent) => (JSON.parse(e.data) as { cursor: number }).cursor;
