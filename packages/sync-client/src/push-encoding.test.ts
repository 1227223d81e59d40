import "fake-indexeddb/auto";
import { COMPACT_PUSH_CONTENT_TYPE, errorEnvelope, PROTOCOL_VERSION } from "@sync/protocol";
import { describe, expect, it } from "vitest";
import { device, realServerSuite } from "./test-support/real-server.js";
import { waitFor } from "./test-support/wait-for.js";
import { createHttpTransport } from "./transport.js";
import type { SyncClient } from "./types.js";

// The push encoding against the real server (Hono + PGlite) over real HTTP (rule L22).
const suite = realServerSuite();
const { running } = suite;

/**
 * In front of the real server, recording each push's content type. With `refuseCompact` it
 * answers the compact form exactly as a server from before it did: 415, nothing applied.
 */
function front(refuseCompact: boolean) {
  const pushes: string[] = [];
  const fetchThrough: typeof fetch = async (input, init) => {
    const type = new Headers(init?.headers).get("content-type") ?? "";
    if (String(input).endsWith("/api/sync/push")) {
      pushes.push(type);
      if (refuseCompact && type.startsWith(COMPACT_PUSH_CONTENT_TYPE)) {
        const body = errorEnvelope(
          "UNSUPPORTED_MEDIA_TYPE",
          "expected Content-Type: application/json",
        );
        return Response.json(body, { status: 415 });
      }
    }
    return fetch(input, init);
  };
  return { pushes, fetch: fetchThrough };
}

const T = 20_000;
const idle = (c: SyncClient) => () =>
  c.getStatus().pendingCount === 0 && c.getStatus().state === "synced";

async function writeSome(client: SyncClient): Promise<{ listId: string; itemId: string }> {
  running.push(client);
  await client.start();
  await waitFor(() => client.getStatus().leader, "leadership");
  const listId = await client.create("list", { title: "Weekend" });
  const itemId = await client.create("item", { listId, text: "Bread" });
  await client.increment("item", itemId, "qty", 2);
  await client.update("item", itemId, { checked: true });
  await waitFor(idle(client), "synced", T);
  return { listId, itemId };
}

describe("[L22] push encoding against the real server", () => {
  it("[L22] pushes go in the compact form to a server that takes it", async () => {
    const me = await suite.server.signup();
    const net = front(false);
    const { itemId } = await writeSome(device(suite.server, me, { fetch: net.fetch }).client);
    expect(net.pushes.length).toBeGreaterThan(0);
    expect(net.pushes.every((t) => t === COMPACT_PUSH_CONTENT_TYPE)).toBe(true);

    const other = device(suite.server, me).client;
    running.push(other);
    await other.start();
    await waitFor(() => other.get("item", itemId)?.fields.qty === 3, "the other device", T);
    expect(other.get("item", itemId)?.fields).toMatchObject({ text: "Bread", checked: true });
  });

  it("[L22] a server that answers 415 gets the same work as JSON, once, and JSON from then on", async () => {
    const me = await suite.server.signup();
    const net = front(true);
    const phone = device(suite.server, me, { fetch: net.fetch });
    const { listId, itemId } = await writeSome(phone.client);
    await phone.client.increment("item", itemId, "qty", 5);
    await waitFor(idle(phone.client), "synced again", T);

    // One compact attempt, refused; everything after it JSON.
    expect(net.pushes[0]).toBe(COMPACT_PUSH_CONTENT_TYPE);
    expect(net.pushes.slice(1).length).toBeGreaterThan(1);
    expect(net.pushes.slice(1).every((t) => t === "application/json")).toBe(true);
    expect(phone.client.getStatus().deadLetterCount).toBe(0);

    // Nothing lost, nothing applied twice (1 + 2 + 5).
    const laptop = device(suite.server, me).client;
    running.push(laptop);
    await laptop.start();
    await waitFor(() => laptop.get("item", itemId)?.fields.qty === 8, "the laptop sees it", T);
    expect(laptop.get("item", itemId)?.fields).toMatchObject({ text: "Bread", checked: true });
    expect(laptop.get("list", listId)?.fields.title).toBe("Weekend");
  });
});

describe("[L22] HTTP transport", () => {
  it("[L22] a request the compact form cannot carry exactly goes as JSON", async () => {
    const sent: { type: string | null; body: unknown }[] = [];
    const transport = createHttpTransport({
      baseUrl: "http://sync.test",
      now: () => 0,
      fetch: async (_input, init) => {
        sent.push({ type: new Headers(init?.headers).get("content-type"), body: init?.body });
        return Response.json({ results: [], serverTime: 0, cursor: 0 });
      },
    });
    const clientId = "01936f3e-5c1a-7b2e-9c4d-2f1e0a9b8c7d";
    const op = {
      opId: "01936f3e-5c1a-7b2e-9c4d-2f1e0a9b8c70",
      clientId,
      seq: 1,
      entity: "item",
      id: "01936f3e-5c1a-7b2e-9c4d-2f1e0a9b8c71",
      kind: "update" as const,
      fields: { text: "Milk" },
      hlc: "0000000000000abcdefghijk",
    };
    await transport.push({ protocolVersion: PROTOCOL_VERSION, clientId, ops: [op] });
    // A lone surrogate: JSON escapes it, UTF-8 (and so MessagePack) cannot hold it.
    const odd = { ...op, fields: { text: "Milk \ud83e" } };
    await transport.push({ protocolVersion: PROTOCOL_VERSION, clientId, ops: [odd] });
    expect(sent.map((s) => s.type)).toEqual([COMPACT_PUSH_CONTENT_TYPE, "application/json"]);
    expect(JSON.parse(String(sent[1]?.body))).toMatchObject({ ops: [{ fields: odd.fields }] });
  });
});
