/** Minimal SSE reader over fetch: collects events, waits for one that matches. */
export class SseStream {
  readonly events: { event: string; data: string }[] = [];
  readonly #abort = new AbortController();
  #done = false;
  #wake: (() => void)[] = [];
  status = 0;

  static async open(url: string, token: string): Promise<SseStream> {
    const stream = new SseStream();
    const res = await fetch(`${url}/api/sync/stream`, {
      headers: { authorization: `Bearer ${token}`, accept: "text/event-stream" },
      signal: stream.#abort.signal,
    });
    stream.status = res.status;
    if (res.status !== 200 || !res.body) {
      await res.body?.cancel();
      stream.#done = true;
      return stream;
    }
    void stream.#pump(res.body);
    return stream;
  }

  async #pump(body: ReadableStream<Uint8Array>): Promise<void> {
    // DOM and Node stream typings disagree on TextDecoderStream; the runtime object is the same.
    const decoder = new TextDecoderStream() as unknown as ReadableWritablePair<string, Uint8Array>;
    const reader = body.pipeThrough(decoder).getReader();
    let buffer = "";
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        buffer += value;
        let end = buffer.indexOf("\n\n");
        while (end >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          let event = "message";
          const data: string[] = [];
          for (const line of block.split("\n")) {
            if (line.startsWith("event:")) event = line.slice(6).trim();
            else if (line.startsWith("data:")) data.push(line.slice(5).trim());
          }
          this.events.push({ event, data: data.join("\n") });
          end = buffer.indexOf("\n\n");
        }
        for (const wake of this.#wake.splice(0)) wake();
      }
    } catch {
      // Aborted by close(): the stream simply ends.
    }
    this.#done = true;
    for (const wake of this.#wake.splice(0)) wake();
  }

  /** Cursors of the pokes received so far. */
  pokes(): number[] {
    return this.events
      .filter((e) => e.event === "poke")
      .map((e) => (JSON.parse(e.data) as { cursor: number }).cursor);
  }

  async waitFor(match: (pokes: number[]) => boolean, what: string): Promise<void> {
    while (!match(this.pokes())) {
      if (this.#done)
        throw new Error(`stream ended before ${what}; pokes ${JSON.stringify(this.pokes())}`);
      await new Promise<void>((resolve) => this.#wake.push(resolve));
    }
  }

  close(): void {
    this.#abort.abort();
  }
}
