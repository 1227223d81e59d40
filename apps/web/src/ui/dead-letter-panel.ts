import type { DeadLetterView, SyncClient } from "@sync/sync-client";
import { h, patchKeyed, setAttr, setText, show } from "../dom.js";
import { describeOperation, formatRelativeTime } from "../format.js";
import type { Actions } from "./context.js";
import { recordLabel } from "./record-label.js";

export interface DeadLetterPanel {
  readonly el: HTMLElement;
  update(client: SyncClient | null, deadLetters: readonly DeadLetterView[], now: number): void;
}

/** Changes the server refused for good: nothing is dropped silently, the person decides. */
export function createDeadLetterPanel(
  actions: Actions,
  onChanged: () => void,
  getClient: () => SyncClient | null,
): DeadLetterPanel {
  const list = h("ul", { class: "problem-list" });
  const heading = h("h2", { id: "dead-letter-heading" }, ["Changes that could not be saved"]);
  const el = h(
    "section",
    { class: "card panel panel-error", "aria-labelledby": heading.id, testid: "dead-letter-panel" },
    [
      heading,
      h("p", { class: "muted" }, [
        "The server refused these changes, so they are not on your other devices. Retry once the problem is fixed, or discard them.",
      ]),
      list,
    ],
  );
  const nodes = new Map<string, HTMLLIElement>();
  const current = new WeakMap<HTMLLIElement, DeadLetterView>();
  const act = (li: HTMLLIElement, what: "retry" | "discard") => {
    const dl = current.get(li);
    const client = getClient();
    if (!dl || !client) return;
    const task =
      what === "retry"
        ? () => client.retryDeadLetter(dl.id)
        : () => client.discardDeadLetter(dl.id);
    void actions
      .run(task, what === "retry" ? "Could not retry the change" : "Could not discard the change")
      .then(onChanged);
  };
  const create = (): HTMLLIElement => {
    const what = h("p", { class: "problem-what" });
    const why = h("p", { class: "problem-why" });
    const li: HTMLLIElement = h("li", { class: "problem", testid: "dead-letter" }, [
      what,
      why,
      h("div", { class: "actions" }, [
        h("button", { type: "button", testid: "dead-letter-retry" }, ["Retry"], {
          click: () => act(li, "retry"),
        }),
        h(
          "button",
          { type: "button", class: "danger", testid: "dead-letter-discard" },
          ["Discard"],
          { click: () => act(li, "discard") },
        ),
      ]),
    ]);
    return li;
  };
  let render = { client: null as SyncClient | null, now: 0, all: [] as readonly DeadLetterView[] };
  const update = (li: HTMLLIElement, dl: DeadLetterView): void => {
    current.set(li, dl);
    setAttr(li, "data-dead-letter-id", dl.id);
    const [what, why] = li.children;
    const label = render.client
      ? recordLabel(render.client, dl.entity, dl.recordId, dl.fields)
      : null;
    const together = dl.groupId ? render.all.filter((d) => d.groupId === dl.groupId).length - 1 : 0;
    if (what) setText(what, describeOperation(dl.kind, dl.entity, label));
    if (why) {
      setText(
        why,
        `${dl.message} (${dl.code}), ${formatRelativeTime(dl.failedAt, render.now)}` +
          (together > 0
            ? `; failed together with ${together} other change${together > 1 ? "s" : ""}`
            : ""),
      );
    }
  };
  return {
    el,
    update(client, deadLetters, now) {
      render = { client, now, all: deadLetters };
      patchKeyed(list, nodes, deadLetters, (d) => String(d.id), create, update);
      show(el, deadLetters.length > 0);
    },
  };
}
