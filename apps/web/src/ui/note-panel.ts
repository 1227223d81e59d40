import { h, patchKeyed, setText, show } from "../dom.js";
import { byId, text } from "../view-model.js";
import type { Actions, RenderContext } from "./context.js";

export interface NotePanel {
  readonly el: HTMLElement;
  update(context: RenderContext): void;
}

/**
 * The notes of one list: a generated starting point. Mount it in a screen
 * (`body.append(panel.el)` and `panel.update(next)` in its update), then shape it.
 */
export function createNotePanel(listId: string, actions: Actions): NotePanel {
  let context: RenderContext | null = null;
  const input = h("input", { testid: "new-note-input", "aria-label": "New note" });
  const form = h(
    "form",
    { class: "inline-form", "aria-label": "Add a note" },
    [input, h("button", { type: "submit", testid: "new-note-submit" }, ["Add"])],
    {
      submit: (event) => {
        event.preventDefault();
        const value = input.value.trim();
        if (value === "") return;
        input.value = "";
        void actions.run(async () => {
          await context?.client.create("note", { listId, body: value });
        }, "Could not add the note");
      },
    },
  );
  const list = h("ul", { class: "items", "aria-label": "Notes" });
  const nodes = new Map<string, HTMLLIElement>();
  const el = h("section", { class: "card", testid: "note-panel" }, [
    h("h2", {}, ["Notes"]),
    form,
    list,
  ]);
  return {
    el,
    update(next) {
      context = next;
      const records = next.client.list("note", (r) => r.fields.listId === listId).sort(byId);
      patchKeyed(
        list,
        nodes,
        records,
        (r) => r.id,
        () => h("li", { testid: "note" }),
        (li, r) => setText(li, text(r, "body")),
      );
      show(list, records.length > 0);
    },
  };
}
