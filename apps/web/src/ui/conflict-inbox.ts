import type { ConflictView, SyncClient } from "@sync/sync-client";
import { h, patchKeyed, setAttr, setText, show } from "../dom.js";
import { formatValue } from "../format.js";
import type { Actions } from "./context.js";
import { recordLabel } from "./record-label.js";

export interface ConflictInbox {
  readonly el: HTMLElement;
  update(client: SyncClient, conflicts: readonly ConflictView[]): void;
}

const FIELD_NAMES: Record<string, string> = { title: "name", text: "text", body: "text" };

/** Fields that "ask the user": both values side by side, the person picks one. */
export function createConflictInbox(
  actions: Actions,
  getClient: () => SyncClient | null,
): ConflictInbox {
  const list = h("ul", { class: "problem-list" });
  const heading = h("h2", { id: "conflict-heading" }, ["Decide between two edits"]);
  const el = h(
    "section",
    { class: "card panel panel-warning", "aria-labelledby": heading.id, testid: "conflict-inbox" },
    [heading, list],
  );
  const nodes = new Map<string, HTMLLIElement>();
  const current = new WeakMap<HTMLLIElement, ConflictView>();
  const choose = (li: HTMLLIElement, keep: "server" | "mine") => {
    const conflict = current.get(li);
    const client = getClient();
    if (!conflict || !client) return;
    void actions.run(
      () => client.resolveConflict(conflict.key, { keep }),
      "Could not save your choice",
    );
  };
  let client: SyncClient | null = null;
  const create = (): HTMLLIElement => {
    const what = h("p", { class: "problem-what" });
    const theirs = h("dd", { class: "conflict-server" });
    const mine = h("dd", { class: "conflict-mine" });
    const li: HTMLLIElement = h("li", { class: "problem", testid: "conflict" }, [
      what,
      h("dl", { class: "conflict-values" }, [
        h("dt", {}, ["On the server"]),
        theirs,
        h("dt", {}, ["Yours"]),
        mine,
      ]),
      h("div", { class: "actions" }, [
        h("button", { type: "button", testid: "conflict-keep-server" }, ["Keep theirs"], {
          click: () => choose(li, "server"),
        }),
        h(
          "button",
          { type: "button", class: "primary", testid: "conflict-keep-mine" },
          ["Keep mine"],
          { click: () => choose(li, "mine") },
        ),
      ]),
    ]);
    return li;
  };
  const update = (li: HTMLLIElement, c: ConflictView): void => {
    current.set(li, c);
    setAttr(li, "data-conflict-key", c.key);
    const label = client ? recordLabel(client, c.entity, c.id) : null;
    const fieldName = FIELD_NAMES[c.field] ?? c.field;
    const what = li.querySelector(".problem-what");
    const theirs = li.querySelector(".conflict-server");
    const mine = li.querySelector(".conflict-mine");
    if (what) {
      setText(
        what,
        `The ${fieldName} of ${c.entity}${label ? ` ${formatValue(label)}` : ""} was changed elsewhere while you edited it.`,
      );
    }
    if (theirs) setText(theirs, formatValue(c.serverValue));
    if (mine) setText(mine, formatValue(c.clientValue));
  };
  return {
    el,
    update(nextClient, conflicts) {
      client = nextClient;
      patchKeyed(list, nodes, conflicts, (c) => c.key, create, update);
      show(el, conflicts.length > 0);
    },
  };
}
