import { note } from "@sync/entities";
import type { EditBase } from "@sync/sync-client";
import { h, setText, show } from "../dom.js";
import { text } from "../view-model.js";
import type { Actions, RenderContext } from "./context.js";

const BODY_MAX = note.fields.body.maxLength ?? 2_000;

export interface NotePanel {
  readonly el: HTMLElement;
  update(context: RenderContext): void;
}

/**
 * The list's note, one per list (its id is the list id). Concurrent edits are not merged
 * silently: the body is an "ask" field, so the second writer finds both versions in the
 * conflict inbox.
 */
export function createNotePanel(listId: string, actions: Actions): NotePanel {
  let context: RenderContext | null = null;
  let editing = false;
  // The note as it was when the editor opened: a save over a body someone else changed
  // meanwhile is then a conflict to decide, not a silent overwrite (rule L9).
  let seen: EditBase | undefined;

  const body = h("p", { class: "note-body", testid: "note-body" });
  const empty = h("p", { class: "muted", testid: "note-empty" }, ["No note yet."]);
  const edit = h("button", { type: "button", class: "link-button", testid: "note-edit" }, [
    "Edit note",
  ]);
  const input = h("textarea", {
    class: "note-input",
    testid: "note-input",
    maxlength: BODY_MAX,
    rows: 4,
    "aria-label": "Note",
    hidden: true,
  });
  const save = h(
    "button",
    { type: "button", class: "primary", testid: "note-save", hidden: true },
    ["Save note"],
  );
  const el = h("section", { class: "card note", testid: "note", "aria-label": "Note" }, [
    h("h2", { class: "note-heading" }, ["Note"]),
    body,
    empty,
    input,
    h("div", { class: "actions" }, [edit, save]),
  ]);

  const current = (): string => {
    const record = context?.client.get("note", listId);
    return record ? text(record, "body") : "";
  };

  function setEditing(on: boolean): void {
    editing = on;
    show(input, on);
    show(save, on);
    show(edit, !on);
    render();
  }

  function render(): void {
    const value = current();
    setText(body, value);
    show(body, !editing && value !== "");
    show(empty, !editing && value === "");
  }

  edit.addEventListener("click", () => {
    seen = context?.client.editBase("note", listId);
    input.value = current();
    setEditing(true);
    input.focus();
  });
  input.addEventListener("keydown", (event) => {
    if (event.key === "Escape") {
      event.preventDefault();
      setEditing(false);
      edit.focus();
    }
  });
  save.addEventListener("click", () => {
    const value = input.value.trim().slice(0, BODY_MAX);
    const exists = context?.client.get("note", listId) !== undefined;
    const changed = value !== current();
    const base = seen;
    seen = undefined;
    setEditing(false);
    edit.focus();
    if (!changed) return;
    void actions.run(async () => {
      const client = context?.client;
      if (!client) return;
      // One note per list: its id is the list's, so offline starts by two people meet.
      if (exists) await client.update("note", listId, { body: value }, base ? { seen: base } : {});
      else await client.create("note", { listId, body: value }, listId);
    }, "Could not save the note");
  });

  return {
    el,
    update(next) {
      context = next;
      render();
    },
  };
}
