import type { FieldMap } from "@sync/protocol";
import { v7 as uuidv7 } from "uuid";
import { type EngineCore, requireSession } from "./engine-core.js";
import { CLIENT_ERROR_CODES, SyncClientError } from "./errors.js";
import type { PendingOp } from "./pending-op.js";
import type { ConflictChoice, DeadLetterView } from "./types.js";
import { baseFor, nextHlc, writeOperation } from "./write-path.js";

/** What the person can do about refused changes and conflicts (rule L9). */

export async function listDeadLetters(core: EngineCore): Promise<DeadLetterView[]> {
  const session = requireSession(core);
  const letters = await session.queue.deadLetters();
  return letters.map((letter) => ({
    id: letter.id,
    entity: letter.item.entity,
    recordId: letter.item.id,
    kind: letter.item.kind,
    fields: letter.item.fields,
    code: letter.reason.code,
    message: letter.reason.message,
    failedAt: letter.failedAt,
    groupId: letter.groupId ?? null,
  }));
}

/** Requeues at the end with a new opId (the server remembers the old one as rejected). */
export async function retryDeadLetter(core: EngineCore, id: number): Promise<void> {
  const session = requireSession(core);
  const hlc = await nextHlc(core, session);
  await session.queue.retryDeadLetter(id, (item) => {
    const fresh: PendingOp = { ...item, opId: uuidv7(), hlc };
    const { base: _stale, ...rest } = fresh;
    const base = baseFor(core, rest);
    return base ? { ...rest, base } : rest;
  });
  await core.hooks.refresh();
  core.hooks.changed([]);
}

export async function discardDeadLetter(core: EngineCore, id: number): Promise<void> {
  const session = requireSession(core);
  await session.queue.discardDeadLetter(id);
  await core.hooks.refresh();
  core.hooks.changed([]);
}

export async function resolveConflict(
  core: EngineCore,
  key: string,
  choice: ConflictChoice,
): Promise<void> {
  const session = requireSession(core);
  const conflict = core.conflicts.find((c) => c.key === key);
  if (!conflict) {
    throw new SyncClientError(CLIENT_ERROR_CODES.conflictNotFound, `no open conflict ${key}`);
  }
  if (!("keep" in choice) || choice.keep === "mine") {
    const value = "value" in choice ? choice.value : conflict.clientValue;
    // The person saw the server's value and chose: base is the server clock, so this wins.
    const base = conflict.serverHlc ? { [conflict.field]: conflict.serverHlc } : undefined;
    await writeOperation(
      core,
      "update",
      conflict.entity,
      conflict.id,
      { [conflict.field]: value as FieldMap[string] },
      base,
    );
  }
  await session.store.deleteConflict(key);
  core.conflictWrites++;
  core.conflicts = core.conflicts.filter((c) => c.key !== key);
  core.conflictNotices.settle(core.conflicts);
  core.hooks.emitStatus();
  core.hooks.changed([]);
}
