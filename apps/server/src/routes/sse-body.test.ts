import { describe, expect, it } from "vitest";
import { MAX_QUEUED_STREAM_BYTES, SseBody, sseFrame } from "./sse-body.js";

describe("SseBody", () => {
  it("[S3] a client that reads keeps its stream, whatever it is sent in all", async () => {
    const body = new SseBody(() => {}, 64);
    const reader = body.stream.getReader();
    const frame = new Uint8Array(40);
    for (let i = 0; i < 10; i++) {
      expect(body.write(frame)).toBe(true);
      expect((await reader.read()).value?.byteLength).toBe(40);
    }
    body.close();
    expect((await reader.read()).done).toBe(true);
  });

  it("[S3] a client that leaves more than the limit unread loses its stream and what it held", async () => {
    const body = new SseBody(() => {}, 100);
    const frame = new Uint8Array(40);
    expect(body.write(frame)).toBe(true);
    expect(body.write(frame)).toBe(true);
    // 80 bytes wait; 40 more would pass 100.
    expect(body.write(frame)).toBe(false);
    expect(body.open).toBe(false);
    expect(body.write(frame)).toBe(false);
    await expect(body.stream.getReader().read()).rejects.toThrow(/does not read/);
  });

  it("the default limit is a megabyte of frames", () => {
    const body = new SseBody(() => {});
    const frame = sseFrame("poke", JSON.stringify({ cursor: 1 }));
    const fits = Math.floor(MAX_QUEUED_STREAM_BYTES / frame.byteLength);
    for (let i = 0; i < fits; i++) expect(body.write(frame)).toBe(true);
    expect(body.write(frame)).toBe(false);
  });
});
