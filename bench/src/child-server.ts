import { type ChildProcess, fork } from "node:child_process";
import { fileURLToPath } from "node:url";

export interface ChildServer {
  readonly url: string;
  readonly token: string;
  memory(): Promise<{ rss: number; heapUsed: number }>;
  close(): Promise<void>;
}

function next<T>(child: ChildProcess, type: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: { type: string } & T) => {
      if (message.type !== type) return;
      child.off("message", onMessage);
      child.off("exit", onExit);
      resolve(message);
    };
    const onExit = (code: number | null) =>
      reject(new Error(`server child exited with ${code} before "${type}"`));
    child.on("message", onMessage);
    child.once("exit", onExit);
  });
}

/** Starts stream-server-child.ts ("ours" or "raw") in its own Node process, with tsx and exposed GC. */
export async function startChildServer(kind: "ours" | "raw"): Promise<ChildServer> {
  const script = fileURLToPath(new URL("./stream-server-child.ts", import.meta.url));
  const child = fork(script, [kind], {
    execArgv: ["--import", "tsx", "--expose-gc"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const ready = await next<{ url: string; token: string }>(child, "ready");
  return {
    url: ready.url,
    token: ready.token,
    async memory() {
      const reply = next<{ rss: number; heapUsed: number }>(child, "memory");
      child.send({ type: "memory" });
      return reply;
    },
    async close() {
      const closed = next(child, "closed");
      child.send({ type: "close" });
      await closed;
    },
  };
}
