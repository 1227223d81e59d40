/** A raw SSE subscriber: counts its events and reports each with its arrival time. */
export interface SseReader {
  /** Resolves once the response headers arrived (the stream is open). */
  readonly opened: Promise<void>;
  close(): void;
}

export function openSse(
  url: string,
  headers: Record<string, string>,
  onEvent: (event: string, data: string, at: number) => void,
): SseReader {
  const abort = new AbortController();
  const opened = (async () => {
    const res = await fetch(url, {
      headers: { ...headers, accept: "text/event-stream" },
      signal: abort.signal,
    });
    if (!res.ok || !res.body) throw new Error(`stream answered ${res.status}`);
    const body = res.body.pipeThrough(new TextDecoderStream()).getReader();
    void (async () => {
      let buffer = "";
      try {
        for (;;) {
          const { done, value: chunk } = await body.read();
          if (done) return;
          const at = performance.now();
          buffer += chunk;
          let end = buffer.indexOf("\n\n");
          while (end >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            let event = "message";
            let data = "";
            for (const line of block.split("\n")) {
              if (line.startsWith("event:")) event = line.slice(6).trim();
              else if (line.startsWith("data:")) data += line.slice(5).trim();
            }
            onEvent(event, data, at);
            end = buffer.indexOf("\n\n");
          }
        }
      } catch (error) {
        if (!abort.signal.aborted) throw error;
      }
    })();
  })();
  return { opened, close: () => abort.abort() };
}
