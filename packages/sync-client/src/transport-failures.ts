import { ErrorCode } from "@sync/protocol";
import type { EngineCore } from "./engine-core.js";
import { errorInfo } from "./errors.js";
import { TransportError } from "./transport.js";

/** What a failed request says about the network: offline, signed out (L11), or a server error. */
export function onTransportError(core: EngineCore, error: unknown): void {
  if (!(error instanceof TransportError)) return;
  if (error.status === 0) {
    core.net.networkUp = false;
  } else if (error.status === 401 || error.code === ErrorCode.CLIENT_MISMATCH) {
    // Signed out, or signed in as someone else: nothing may go out under this session.
    core.net.signedOut = true;
    core.session?.queue.pause();
    core.hooks.stopNetwork();
  } else {
    core.net.networkUp = true;
    core.net.lastError = { code: error.code, message: error.message };
  }
  core.hooks.emitStatus();
}

/** Background failures nobody awaits: recorded in the status and told to the person (L12). */
export function failInBackground(core: EngineCore, error: unknown): void {
  if (error instanceof TransportError) {
    onTransportError(core, error);
    return;
  }
  core.net.lastError = errorInfo(error);
  core.notices.add("error", `Sync problem: ${core.net.lastError.message}`);
  core.hooks.emitStatus();
}
