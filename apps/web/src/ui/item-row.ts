import type { SyncClient } from "@sync/sync-client";
import { h, setAttr, setText, show } from "../dom.js";
import { allowedDelta, editedText, type ItemView } from "../view-model.js";
import type { Actions } from "./context.js";

const TEXT_MAX = 500;

export interface ItemRowDeps {
  readonly actions: Actions;
  client(): SyncClient | null;
  /** After a delete: the row is gone, focus should go somewhere sensible. */
  deleted(item: ItemView, row: HTMLLIElement): void;
}

export interface ItemRow {
  readonly el: HTMLLIElement;
  update(item: ItemView): void;
}

/** One item: check off, edit inline, count up and down, delete. Stable across re-renders. */
export function createItemRow(initial: ItemView, deps: ItemRowDeps): ItemRow {
  let item = initial;
  let editing = false;
  // Quantity steps written but not yet visible in the view: guards "never below zero".
  let qtyInFlight = 0;

  const toggle = h("input", { type: "checkbox", class: "item-toggle", testid: "item-toggle" }, [], {
    change: () => {
      const checked = toggle.checked;
      void deps.actions
        .run(async () => {
          await deps.client()?.update("item", item.id, { checked });
        }, "Could not check off the item")
        // A refused write changes no view: put the box back to what the view says.
        .then((ok) => {
          if (!ok) render();
        });
    },
  });
  const textEl = h("span", { class: "item-text", testid: "item-text" });
  const editInput = h("input", {
    class: "item-edit-input",
    testid: "item-edit-input",
    maxlength: TEXT_MAX,
    autocomplete: "off",
    "aria-describedby": "edit-hint",
  });
  const qty = h("span", { class: "item-qty", testid: "item-qty", "aria-live": "off" });
  const dec = h("button", { type: "button", class: "qty-button", testid: "item-qty-dec" }, ["−"], {
    click: () => step(-1),
  });
  const inc = h("button", { type: "button", class: "qty-button", testid: "item-qty-inc" }, ["+"], {
    click: () => step(1),
  });
  const edit = h(
    "button",
    { type: "button", class: "icon-button", testid: "item-edit" },
    ["Edit"],
    {
      click: () => startEdit(),
    },
  );
  const remove = h(
    "button",
    { type: "button", class: "icon-button danger", testid: "item-delete" },
    ["Delete"],
    { click: () => del() },
  );
  // Who got it: on a checked item, the last writer is most often whoever checked it off.
  const changedBy = h("span", { class: "item-changed-by", testid: "item-changed-by" });
  const pendingDot = h("span", { class: "pending-dot", title: "Not synced yet" }, [
    h("span", { class: "visually-hidden" }, ["Not synced yet"]),
  ]);

  // The edit box is in the document only while editing: one `item-edit-input` at a time.
  const main = h("div", { class: "item-main" }, [textEl, changedBy, pendingDot]);
  const el = h("li", { class: "item", testid: "item" }, [
    h("label", { class: "check" }, [toggle]),
    main,
    h("div", { class: "qty", role: "group" }, [dec, qty, inc]),
    h("div", { class: "item-actions" }, [edit, remove]),
  ]);

  function step(delta: 1 | -1): void {
    const allowed = allowedDelta(item.qty, qtyInFlight, delta);
    if (allowed === 0) return;
    qtyInFlight += allowed;
    void deps.actions
      .run(async () => {
        await deps.client()?.increment("item", item.id, "qty", allowed);
      }, "Could not change the quantity")
      .finally(() => {
        qtyInFlight -= allowed;
        render();
      });
  }

  function startEdit(): void {
    if (editing) return;
    editing = true;
    editInput.value = item.text;
    show(textEl, false);
    show(edit, false);
    show(changedBy, false);
    main.insertBefore(editInput, pendingDot);
    editInput.focus();
    editInput.select();
  }

  function finishEdit(save: boolean): void {
    if (!editing) return;
    editing = false;
    const next = save ? editedText(item.text, editInput.value, TEXT_MAX) : null;
    editInput.remove();
    show(textEl, true);
    show(edit, true);
    render();
    edit.focus();
    if (next !== null) {
      setText(textEl, next);
      void deps.actions.run(async () => {
        await deps.client()?.update("item", item.id, { text: next });
      }, "Could not save the new text");
    }
  }

  editInput.addEventListener("keydown", (event) => {
    if (event.key === "Enter") {
      event.preventDefault();
      finishEdit(true);
    } else if (event.key === "Escape") {
      event.preventDefault();
      finishEdit(false);
    }
  });
  editInput.addEventListener("blur", () => finishEdit(true));

  function del(): void {
    const gone = item;
    void deps.actions
      .run(async () => {
        const client = deps.client();
        if (!client) return;
        await client.remove("item", gone.id);
        deps.actions.notify({
          level: "info",
          message: `Deleted ${gone.text === "" ? "an item" : `“${gone.text}”`}`,
          undo: () => client.restore("item", gone.id),
        });
      }, "Could not delete the item")
      .then((ok) => {
        if (ok) deps.deleted(gone, el);
      });
  }

  function render(): void {
    setAttr(el, "data-item-id", item.id);
    setAttr(el, "data-checked", item.checked);
    setAttr(el, "data-pending", item.pending);
    if (toggle.checked !== item.checked) toggle.checked = item.checked;
    setAttr(toggle, "aria-label", `Got ${item.text}`);
    if (!editing) setText(textEl, item.text);
    setAttr(editInput, "aria-label", `Edit ${item.text}`);
    setText(qty, String(item.qty));
    setAttr(qty, "aria-label", `Quantity ${item.qty}`);
    dec.disabled = item.qty + qtyInFlight <= 0;
    setAttr(dec, "aria-label", `One less ${item.text}`);
    setAttr(inc, "aria-label", `One more ${item.text}`);
    setAttr(edit, "aria-label", `Edit ${item.text}`);
    setAttr(remove, "aria-label", `Delete ${item.text}`);
    show(pendingDot, item.pending);
    const by = item.checked && !editing ? item.changedBy : null;
    setText(changedBy, by === null ? "" : `changed by ${by}`);
    show(changedBy, by !== null);
  }

  render();
  return {
    el,
    update(next) {
      item = next;
      render();
    },
  };
}
