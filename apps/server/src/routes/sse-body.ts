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
/**
 * Bytes of frames a stream may hold that its client has not taken yet. A client that stops
 * reading (a stalled connection, a frozen tab) would otherwise make the server keep every
 * change for it; past this its stream is dropped. Nothing is lost: the client reconnects, gets
 * a poke with the current cursor and pulls (S3).
 */
export const MAX_QUEUED_STREAM_BYTES = 1024 * 1024;

export class SseBody {
  readonly stream: ReadableStream<Uint8Array>;
  #controller: ReadableStreamDefaultController<Uint8Array> | undefined;
  #open = true;
  readonly #maxQueuedBytes: number;

  /** `onCancel` runs when the reader goes away (the client disconnected). */
  constructor(onCancel: () => void, maxQueuedBytes = MAX_QUEUED_STREAM_BYTES) {
    this.#maxQueuedBytes = maxQueuedBytes;
    this.stream = new ReadableStream<Uint8Array>(
      {
        start: (controller) => {
          this.#controller = controller;
        },
        cancel: () => {
          this.#open = false;
          onCancel();
        },
      },
      // desiredSize is then minus the bytes waiting for the reader.
      new ByteLengthQueuingStrategy({ highWaterMark: 0 }),
    );
  }

  get open(): boolean {
    return this.#open;
  }

  /**
   * Queues a frame; false once the stream was closed or cancelled (nothing is queued), and
   * when the client left more than the limit unread: the stream is then failed at once,
   * dropping what it held (closing would wait for a reader that does not come).
   */
  write(frame: Uint8Array): boolean {
    const controller = this.#controller;
    if (!this.#open || !controller) return false;
    if (-(controller.desiredSize ?? 0) + frame.byteLength > this.#maxQueuedBytes) {
      this.#open = false;
      controller.error(new Error("the client does not read its stream"));
      return false;
    }
    controller.enqueue(frame);
    return true;
  }

  /** Ends the response after the frames already queued. */
  close(): void {
    if (!this.#open) return;
    this.#open = false;
    this.#controller?.close();
  }
}
