import type { EditBase, ViewRecord } from "@sync/sync-client";
import { h, patchKeyed, setAttr, setText, show } from "../dom.js";
import {
  editedText,
  type ItemView,
  itemsOfList,
  memberNames,
  membersOfList,
  text,
} from "../view-model.js";
import type { Actions, RenderContext, Screen } from "./context.js";
import { createItemRow, type ItemRow } from "./item-row.js";
import { createNotePanel } from "./note-panel.js";

const TEXT_MAX = 500;
const TITLE_MAX = 200;
const LOADING_GRACE_MS = 5_000;

/** One list: its items, adding and editing them, renaming and sharing the list. */
export function createListScreen(listId: string, actions: Actions): Screen {
  let context: RenderContext | null = null;
  let renaming = false;
  let renameBase: EditBase | undefined;
  let openedAt = Number.NaN;

  const back = h("a", { href: "#/lists", class: "back-link", testid: "back-to-lists" }, [
    "← All lists",
  ]);
  const title = h("h1", { class: "list-title", testid: "list-title", tabindex: -1 });
  const renameInput = h("input", {
    class: "rename-input",
    testid: "list-rename-input",
    maxlength: TITLE_MAX,
    "aria-label": "List name",
    hidden: true,
  });
  const renameButton = h(
    "button",
    { type: "button", class: "link-button", testid: "list-rename" },
    ["Rename"],
    { click: () => startRename() },
  );

  const invite = h("code", { class: "invite-code", testid: "share-invite" });
  const invitePending = h("span", { class: "muted", testid: "share-pending" }, [
    "The invite code appears once the list has reached the server.",
  ]);
  const copy = h(
    "button",
    { type: "button", class: "link-button", testid: "share-copy" },
    ["Copy"],
    {
      click: () => {
        const code = invite.textContent ?? "";
        if (!navigator.clipboard) return;
        navigator.clipboard.writeText(code).then(
          () => actions.notify({ level: "info", message: `Invite code ${code} copied` }),
          (e: unknown) =>
            actions.notify({ level: "warning", message: `Could not copy: ${String(e)}` }),
        );
      },
    },
  );
  const members = h("p", { class: "members muted", testid: "list-members" });
  const share = h("section", { class: "card share", testid: "share", "aria-label": "Share" }, [
    h("p", { class: "invite" }, [
      h("span", { class: "invite-label" }, ["Invite code"]),
      invite,
      copy,
      invitePending,
    ]),
    h("p", { class: "muted share-hint" }, [
      "Give this code to the people you shop with; they enter it under “Join a shared list”.",
    ]),
    members,
  ]);

  const newItem = h("input", {
    id: "new-item-input",
    testid: "new-item-input",
    name: "text",
    maxlength: TEXT_MAX,
    placeholder: "Add an item, e.g. Milk",
    autocomplete: "off",
    enterkeyhint: "done",
  });
  const addError = h("p", { class: "form-error", role: "alert" });
  const addForm = h(
    "form",
    { class: "inline-form add-item", "aria-label": "Add an item" },
    [
      h("label", { for: newItem.id, class: "visually-hidden" }, ["New item"]),
      newItem,
      h("button", { type: "submit", class: "primary", testid: "new-item-submit" }, ["Add"]),
    ],
    {
      submit: (event) => {
        event.preventDefault();
        const value = newItem.value.trim();
        if (value === "") {
          setText(addError, "Type what you need first.");
          newItem.focus();
          return;
        }
        setText(addError, "");
        // Clear at once: the write is local and instant, the next item can be typed right away.
        newItem.value = "";
        newItem.focus();
        void actions.run(async () => {
          await context?.client.create("item", { listId, text: value });
        }, `Could not add “${value}”`);
      },
    },
  );

  const items = h("ul", { class: "items", "aria-label": "Items" });
  const empty = h("p", { class: "empty", testid: "items-empty" }, [
    "Nothing on this list yet. Add the first item above.",
  ]);
  const hint = h("p", { id: "edit-hint", class: "visually-hidden" }, [
    "Enter saves, Escape cancels.",
  ]);
  const rows = new Map<string, ItemRow>();
  const nodes = new Map<string, HTMLLIElement>();

  const notePanel = createNotePanel(listId, actions);
  const body = h("div", { class: "list-body" }, [
    share,
    notePanel.el,
    addForm,
    addError,
    items,
    empty,
    hint,
  ]);
  const placeholder = h("div", { class: "card placeholder", testid: "list-missing" });

  const el = h("section", { class: "screen list-screen", "aria-labelledby": "list-heading" }, [
    back,
    h("div", { class: "title-row" }, [title, renameInput, renameButton]),
    placeholder,
    body,
  ]);
  title.id = "list-heading";

  function startRename(): void {
    const list = context?.client.get("list", listId);
    if (!list || renaming) return;
    renaming = true;
    // A rename made elsewhere while the box is open must come back as a conflict (rule L9).
    renameBase = context?.client.editBase("list", listId);
    renameInput.value = text(list, "title");
    show(title, false);
    show(renameButton, false);
    show(renameInput, true);
    renameInput.focus();
    renameInput.select();
  }

  function finishRename(save: boolean): void {
    if (!renaming) return;
    renaming = false;
    const list = context?.client.get("list", listId);
    const next =
      save && list ? editedText(text(list, "title"), renameInput.value, TITLE_MAX) : null;
    show(renameInput, false);
    show(title, true);
    show(renameButton, true);
    renameButton.focus();
    const seen = renameBase;
    renameBase = undefined;
    if (next !== null) {
      setText(title, next);
      void actions.run(async () => {
        await context?.client.update("list", listId, { title: next }, seen ? { seen } : {});
      }, "Could not rename the list");
    }
  }

  renameInput.addEventListener("keydown", (event) => {
    if (event.key === "Enter") {
      event.preventDefault();
      finishRename(true);
    } else if (event.key === "Escape") {
      event.preventDefault();
      finishRename(false);
    }
  });
  renameInput.addEventListener("blur", () => finishRename(true));

  function focusAfterDelete(_item: ItemView, row: HTMLLIElement): void {
    const next = (row.nextElementSibling ?? row.previousElementSibling) as HTMLElement | null;
    const target = next?.querySelector<HTMLElement>("[data-testid=item-toggle]");
    (target ?? newItem).focus();
  }

  const rowFor = (item: ItemView): HTMLLIElement => {
    const row = createItemRow(item, {
      actions,
      client: () => context?.client ?? null,
      deleted: focusAfterDelete,
    });
    rows.set(item.id, row);
    return row.el;
  };

  function showMissing(list: ViewRecord | undefined, next: RenderContext): boolean {
    const missing = !list || list.deleted;
    show(placeholder, missing);
    show(body, !missing);
    show(renameButton, !missing && !renaming);
    if (!missing) return false;
    // A just-joined list arrives with the next pull: wait while syncing or briefly after opening.
    const status = next.status;
    const waiting =
      status?.online === true &&
      status.state !== "signed-out" &&
      (status.state === "syncing" || next.now - openedAt < LOADING_GRACE_MS);
    setAttr(placeholder, "data-state", waiting ? "loading" : "missing");
    setText(title, waiting ? "Loading list…" : "List not found");
    setText(
      placeholder,
      list?.deleted
        ? "This list was deleted."
        : waiting
          ? "Fetching this list from the server…"
          : "This list is not on this device. Connect to the internet to load it, or go back to your lists.",
    );
    return true;
  }

  return {
    el,
    update(next) {
      context = next;
      if (Number.isNaN(openedAt)) openedAt = next.now;
      const list = next.client.get("list", listId);
      if (showMissing(list, next) || !list) return;
      const name = text(list, "title", "Untitled list");
      if (!renaming) setText(title, name);
      document.title = `${name} · Shopping List`;
      const code = text(list, "inviteCode");
      setText(invite, code);
      show(invite, code !== "");
      show(copy, code !== "" && "clipboard" in navigator);
      show(invitePending, code === "");
      const memberships = next.client.list("membership");
      const names = membersOfList(memberships, listId);
      setText(members, `Members: ${names.join(", ")}`);
      show(members, names.length > 0);
      notePanel.update(next);

      const visible = itemsOfList(
        next.client.list("item", (r) => r.fields.listId === listId),
        listId,
        memberNames(memberships, listId),
      );
      patchKeyed(
        items,
        nodes,
        visible,
        (i) => i.id,
        rowFor,
        (_node, item) => {
          rows.get(item.id)?.update(item);
        },
      );
      for (const id of rows.keys()) if (!nodes.has(id)) rows.delete(id);
      show(empty, visible.length === 0);
      show(items, visible.length > 0);
    },
    focus() {
      title.focus();
    },
  };
}
