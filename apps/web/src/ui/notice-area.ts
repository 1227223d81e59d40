import { h, patchKeyed, setAttr, setText, show } from "../dom.js";

/** One message on screen: from the sync client (lasting) or from the app (transient, may undo). */
export interface NoticeEntry {
  readonly key: string;
  readonly level: string;
  readonly message: string;
  readonly undo: (() => void) | null;
  readonly dismiss: () => void;
}

export interface NoticeArea {
  readonly el: HTMLElement;
  update(entries: readonly NoticeEntry[]): void;
}

/**
 * A live region of `notice` elements. "inline" sits in the page (lasting messages that must not
 * cover the list); "toast" floats at the bottom, within thumb reach, for undo.
 */
export function createNoticeArea(variant: "inline" | "toast", label: string): NoticeArea {
  const list = h("ul", { class: "notices", "aria-live": "polite", "aria-relevant": "additions" });
  const el = h("section", { class: `notice-area notice-${variant}`, "aria-label": label }, [list]);
  const nodes = new Map<string, HTMLLIElement>();
  const entries = new WeakMap<HTMLLIElement, NoticeEntry>();

  const create = (entry: NoticeEntry): HTMLLIElement => {
    const li: HTMLLIElement = h("li", { class: "notice", testid: "notice" }, [
      h("span", { class: "notice-message" }),
      // Only a notice that can be undone has an Undo button: `notice-undo` is unambiguous.
      entry.undo
        ? h("button", { type: "button", class: "notice-undo", testid: "notice-undo" }, ["Undo"], {
            click: () => entries.get(li)?.undo?.(),
          })
        : null,
      h(
        "button",
        {
          type: "button",
          class: "notice-dismiss",
          testid: "notice-dismiss",
          "aria-label": "Dismiss message",
        },
        ["×"],
        { click: () => entries.get(li)?.dismiss() },
      ),
    ]);
    return li;
  };

  const update = (li: HTMLLIElement, entry: NoticeEntry): void => {
    entries.set(li, entry);
    setAttr(li, "data-level", entry.level);
    setAttr(li, "role", entry.level === "error" ? "alert" : null);
    const message = li.firstElementChild;
    if (message) setText(message, entry.message);
  };

  return {
    el,
    update(next) {
      patchKeyed(list, nodes, next, (e) => e.key, create, update);
      show(el, next.length > 0);
    },
  };
}
