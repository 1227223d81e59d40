import { type ChildProcess, fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { TestSession } from "@sync/server/testing";

export interface ChildServer {
  readonly url: string;
  readonly token: string;
  /** The signed-up user the token belongs to ("ours" only; the raw server has no users). */
  readonly session: TestSession;
  memory(): Promise<{ rss: number; heapUsed: number }>;
  close(): Promise<void>;
}

/** The child's next IPC message of `type`; rejects if the child exits first. */
export function nextMessage<T>(child: ChildProcess, type: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: { type: string } & T) => {
      if (message.type !== type) return;
      child.off("message", onMessage);
      child.off("exit", onExit);
      resolve(message);
    };
    const onExit = (code: number | null) =>
      reject(new Error(`child exited with ${code} before "${type}"`));
    child.on("message", onMessage);
    child.once("exit", onExit);
  });
}

/** Forks one of bench/src's scripts in its own Node process, with tsx and exposed GC. */
export function forkScript(name: string, args: readonly string[]): ChildProcess {
  const script = fileURLToPath(new URL(`./${name}`, import.meta.url));
  return fork(script, [...args], {
    execArgv: ["--import", "tsx", "--expose-gc"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
}

/** Starts stream-server-child.ts ("ours" or "raw") in its own Node process. */
export async function startChildServer(kind: "ours" | "raw"): Promise<ChildServer> {
  const child = forkScript("stream-server-child.ts", [kind]);
  const ready = await nextMessage<{ url: string; session: TestSession }>(child, "ready");
  return {
    url: ready.url,
    token: ready.session.token,
    session: ready.session,
    async memory() {
      const reply = nextMessage<{ rss: number; heapUsed: number }>(child, "memory");
      child.send({ type: "memory" });
      return reply;
    },
    async close() {
      const closed = nextMessage(child, "closed");
      child.send({ type: "close" });
      await closed;
    },
  };
}
