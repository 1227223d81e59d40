const encoder = new TextEncoder();

/**
 * One SSE frame. `data` is a single line (JSON.stringify output always is: it escapes CR and
 * LF), so it needs no splitting.
 */
export function sseFrame(event: string, data: string, retry?: number): Uint8Array {
  const hint = retry === undefined ? "" : `retry: ${retry}\n`;
  return encoder.encode(`event: ${event}\ndata: ${data}\n${hint}\n`);
}

/**
 * An SSE response body that frames are pushed into. Replaces Hono's `streamSSE`, whose
 * TransformStream, second reader and async formatting cost a dozen promise hops per frame and
 * stream: with a hundred streams that put milliseconds between a commit and the last write.
 * A frame enqueued here goes to the socket in the same turn as the pending read
 * (@hono/node-server) or to whoever reads the Response (`app.request` in tests).
 */
export class SseBody {
  readonly stream: ReadableStream<Uint8Array>;
  #controller: ReadableStreamDefaultController<Uint8Array> | undefined;
  #open = true;

  /** `onCancel` runs when the reader goes away (the client disconnected). */
  constructor(onCancel: () => void) {
    this.stream = new ReadableStream<Uint8Array>({
      start: (controller) => {
        this.#controller = controller;
      },
      cancel: () => {
        this.#open = false;
        onCancel();
      },
    });
  }

  get open(): boolean {
    return this.#open;
  }

  /** Queues a frame; false once the stream was closed or cancelled (nothing is queued). */
  write(frame: Uint8Array): boolean {
    if (!this.#open || !this.#controller) return false;
    this.#controller.enqueue(frame);
    return true;
  }

  /** Ends the response after the frames already queued. */
  close(): void {
    if (!this.#open) return;
    this.#open = false;
    this.#controller?.close();
  }
}
