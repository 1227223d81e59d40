import { type Operation, PROTOCOL_VERSION } from "@sync/protocol";
import { TestClient, type TestSession } from "@sync/server/testing";

/**
 * The server's own test client (hand-built operations with their own clientId, seq and HLC)
 * over real HTTP to a running server, for black-box tests.
 */
export class RawClient extends TestClient {
  readonly baseUrl: string;
  readonly session: TestSession;

  constructor(baseUrl: string, session: TestSession) {
    super(
      (path, init) => fetch(`${baseUrl}${path}`, init),
      session.token,
      session.userId,
      session.username,
    );
    this.baseUrl = baseUrl;
    this.session = session;
  }

  /** The exact body `push` sends, for tests that send it themselves (raw sockets, replays). */
  body(ops: readonly Operation[]): string {
    return JSON.stringify({ protocolVersion: PROTOCOL_VERSION, clientId: this.clientId, ops });
  }

  /** Creates a list and returns its id and invite code. */
  async newList(title = "Groceries"): Promise<{ listId: string; code: string }> {
    const op = this.createList(title);
    const res = await this.push(op);
    const result = res.results[0];
    if (result?.status !== "applied") throw new Error(`list create: ${JSON.stringify(result)}`);
    return { listId: op.id, code: String(result.row.fields.inviteCode) };
  }
}
