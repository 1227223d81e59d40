import { createNodeId, HybridClock } from "@sync/clock";
import { type Operation, PROTOCOL_VERSION, type PushResponse } from "@sync/protocol";
import type { TestSession } from "@sync/server/testing";
import { v7 as uuidv7 } from "uuid";

/** Builds wire operations by hand (own clientId, seq and HLC), for black-box HTTP tests. */
export class RawClient {
  readonly baseUrl: string;
  readonly session: TestSession;
  readonly clientId = uuidv7();
  seq = 0;
  readonly clock = new HybridClock({ node: createNodeId() });

  constructor(baseUrl: string, session: TestSession) {
    this.baseUrl = baseUrl;
    this.session = session;
  }

  get auth(): Record<string, string> {
    return { authorization: `Bearer ${this.session.token}` };
  }

  op(partial: Pick<Operation, "entity" | "id" | "kind"> & Partial<Operation>): Operation {
    return {
      opId: uuidv7(),
      clientId: this.clientId,
      seq: ++this.seq,
      fields: {},
      hlc: this.clock.now(),
      ...partial,
    };
  }

  createList(title = "Groceries", id = uuidv7()): Operation {
    return this.op({ entity: "list", id, kind: "create", fields: { title } });
  }

  createItem(listId: string, text = "milk", id = uuidv7()): Operation {
    return this.op({ entity: "item", id, kind: "create", fields: { listId, text } });
  }

  body(ops: readonly Operation[]): string {
    return JSON.stringify({ protocolVersion: PROTOCOL_VERSION, clientId: this.clientId, ops });
  }

  async pushRaw(ops: readonly Operation[]): Promise<Response> {
    return fetch(`${this.baseUrl}/api/sync/push`, {
      method: "POST",
      headers: { ...this.auth, "content-type": "application/json" },
      body: this.body(ops),
    });
  }

  async push(...ops: Operation[]): Promise<PushResponse> {
    const res = await this.pushRaw(ops);
    if (res.status !== 200) throw new Error(`push ${res.status}: ${await res.text()}`);
    return (await res.json()) as PushResponse;
  }

  /** Creates a list and returns its id and invite code. */
  async newList(title = "Groceries"): Promise<{ listId: string; code: string }> {
    const op = this.createList(title);
    const res = await this.push(op);
    const result = res.results[0];
    if (result?.status !== "applied") throw new Error(`list create: ${JSON.stringify(result)}`);
    return { listId: op.id, code: String(result.row.fields.inviteCode) };
  }

  async join(code: string): Promise<Response> {
    return fetch(`${this.baseUrl}/api/lists/join`, {
      method: "POST",
      headers: { ...this.auth, "content-type": "application/json" },
      body: JSON.stringify({ code }),
    });
  }
}
