import type { Notice } from "@sync/sync-client";
import { h, patchKeyed, setAttr, setText, show } from "../dom.js";
import type { UiNotice } from "../ui-notices.js";

interface Entry {
  readonly key: string;
  readonly level: string;
  readonly message: string;
  readonly undo: (() => void) | null;
  readonly dismiss: () => void;
}

export interface NoticeArea {
  readonly el: HTMLElement;
  update(clientNotices: readonly Notice[], uiNotices: readonly UiNotice[]): void;
}

export function createNoticeArea(
  dismissClient: (id: string) => void,
  dismissUi: (id: string) => void,
  undo: (notice: UiNotice) => void,
): NoticeArea {
  const list = h("ul", { class: "notices", "aria-live": "polite", "aria-relevant": "additions" });
  const el = h("section", { class: "notice-area", "aria-label": "Messages" }, [list]);
  const nodes = new Map<string, HTMLLIElement>();
  const handlers = new WeakMap<HTMLLIElement, { entry: Entry }>();

  const create = (entry: Entry): HTMLLIElement => {
    const message = h("span", { class: "notice-message" });
    const undoButton = h(
      "button",
      { type: "button", class: "notice-undo", testid: "notice-undo" },
      ["Undo"],
      { click: () => handlers.get(li)?.entry.undo?.() },
    );
    const close = h(
      "button",
      {
        type: "button",
        class: "notice-dismiss",
        testid: "notice-dismiss",
        "aria-label": "Dismiss message",
      },
      ["×"],
      { click: () => handlers.get(li)?.entry.dismiss() },
    );
    const li = h("li", { class: "notice", testid: "notice" }, [message, undoButton, close]);
    handlers.set(li, { entry });
    return li;
  };

  const update = (li: HTMLLIElement, entry: Entry): void => {
    handlers.set(li, { entry });
    setAttr(li, "data-level", entry.level);
    setAttr(li, "role", entry.level === "error" ? "alert" : null);
    const [message, undoButton] = li.children;
    if (message) setText(message, entry.message);
    if (undoButton instanceof HTMLElement) show(undoButton, entry.undo !== null);
  };

  return {
    el,
    update(clientNotices, uiNotices) {
      const entries: Entry[] = [
        ...clientNotices.map((n) => ({
          key: `c:${n.id}`,
          level: n.level,
          message: n.message,
          undo: null,
          dismiss: () => dismissClient(n.id),
        })),
        ...uiNotices.map((n) => ({
          key: `u:${n.id}`,
          level: n.level,
          message: n.message,
          undo: n.undo ? () => undo(n) : null,
          dismiss: () => dismissUi(n.id),
        })),
      ];
      patchKeyed(list, nodes, entries, (e) => e.key, create, update);
      show(el, entries.length > 0);
    },
  };
}
