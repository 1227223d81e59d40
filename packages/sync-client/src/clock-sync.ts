import type { Row } from "@sync/protocol";
import type { EngineCore, Session } from "./engine-core.js";

/** Any answer: the network is up, and serverTime refines the clock offset (NTP-like, rule L4). */
export function onExchange(
  core: EngineCore,
  session: Session,
  timed: { body: { serverTime: number }; sentAt: number; receivedAt: number },
): void {
  core.net.networkUp = true;
  core.net.lastError = null;
  const offset = timed.body.serverTime - (timed.sentAt + timed.receivedAt) / 2;
  session.clock.setOffset(offset);
  core.hooks.emitStatus();
}

/** Later local writes must follow every clock we have seen (causality across replicas). */
export function seeClocks(session: Session, rows: readonly Row[]): void {
  let newest: string | undefined;
  for (const row of rows) {
    for (const hlc of Object.values(row.clocks)) if (!newest || hlc > newest) newest = hlc;
  }
  // "restamp": a far-ahead remote clock must not drag ours along (guarantee 5).
  if (newest && newest > session.clock.last()) session.clock.stamp(newest, "restamp");
}
