import { INVITE_CODE, normaliseInviteCode } from "../api.js";
import { h, patchKeyed, setAttr, setText, show } from "../dom.js";
import { formatRoute } from "../route.js";
import { type ListSummary, listSummaries, summaryLine } from "../view-model.js";
import type { Actions, RenderContext, Screen } from "./context.js";

const TITLE_MAX = 200;

/** All lists of the person: create one, open one, join one by invite code. */
export function createListsScreen(actions: Actions): Screen {
  const heading = h("h1", { id: "lists-screen-heading", tabindex: -1 }, ["Your lists"]);

  const titleInput = h("input", {
    id: "new-list-input",
    testid: "new-list-input",
    name: "title",
    maxlength: TITLE_MAX,
    placeholder: "e.g. Groceries",
    autocomplete: "off",
    required: true,
  });
  const createError = h("p", { class: "form-error", role: "alert" });
  const createForm = h(
    "form",
    { class: "inline-form", "aria-label": "Create a list" },
    [
      h("label", { for: titleInput.id, class: "visually-hidden" }, ["New list name"]),
      titleInput,
      h("button", { type: "submit", class: "primary", testid: "new-list-submit" }, ["Create list"]),
    ],
    {
      submit: (event) => {
        event.preventDefault();
        const title = titleInput.value.trim();
        if (title === "") {
          setText(createError, "Give the list a name.");
          titleInput.focus();
          return;
        }
        setText(createError, "");
        void actions.run(async () => {
          const client = context?.client;
          if (!client) throw new Error("Not signed in");
          const id = await client.create("list", { title });
          titleInput.value = "";
          actions.navigate({ name: "list", listId: id });
        }, "Could not create the list");
      },
    },
  );

  const codeInput = h("input", {
    id: "join-code-input",
    testid: "join-code-input",
    name: "code",
    maxlength: 14,
    placeholder: "10-character code",
    autocomplete: "off",
    autocapitalize: "characters",
    spellcheck: "false",
    "aria-describedby": "join-code-hint",
  });
  const joinButton = h("button", { type: "submit", testid: "join-code-submit" }, ["Join"]);
  const joinError = h("p", { class: "form-error", role: "alert", testid: "join-error" });
  const joinForm = h(
    "form",
    { class: "card join", "aria-labelledby": "join-heading" },
    [
      h("h2", { id: "join-heading" }, ["Join a shared list"]),
      h("p", { id: "join-code-hint", class: "muted" }, [
        "Ask a member for the list’s invite code. Joining needs a connection.",
      ]),
      h("div", { class: "inline-form" }, [
        h("label", { for: codeInput.id, class: "visually-hidden" }, ["Invite code"]),
        codeInput,
        joinButton,
      ]),
      joinError,
    ],
    {
      submit: (event) => {
        event.preventDefault();
        const code = normaliseInviteCode(codeInput.value);
        if (!INVITE_CODE.test(code)) {
          setText(joinError, "An invite code has 10 letters and digits.");
          codeInput.focus();
          return;
        }
        setText(joinError, "");
        joinButton.disabled = true;
        actions
          .joinList(code)
          .then(() => {
            codeInput.value = "";
          })
          .catch((e: unknown) => {
            setText(joinError, e instanceof Error ? e.message : String(e));
            codeInput.focus();
          })
          .finally(() => {
            joinButton.disabled = false;
          });
      },
    },
  );

  const list = h("ul", { class: "lists", "aria-labelledby": "lists-heading" });
  const empty = h("p", { class: "empty", testid: "lists-empty" }, [
    "No lists yet. Create one above, or join a list someone shared with you.",
  ]);
  const nodes = new Map<string, HTMLLIElement>();

  const create = (summary: ListSummary): HTMLLIElement => {
    const title = h("span", { class: "list-link-title" });
    const meta = h("span", { class: "list-link-meta" });
    const link = h("a", { class: "list-link", testid: "list-link" }, [title, meta]);
    setAttr(link, "href", formatRoute({ name: "list", listId: summary.id }));
    return h("li", {}, [link]);
  };
  const update = (li: HTMLLIElement, summary: ListSummary): void => {
    const link = li.firstElementChild as HTMLAnchorElement;
    setAttr(link, "data-list-id", summary.id);
    setAttr(link, "data-pending", summary.pending);
    const [title, meta] = link.children;
    if (title) setText(title, summary.title);
    if (meta)
      setText(
        meta,
        summary.pending ? `${summaryLine(summary)} · not synced yet` : summaryLine(summary),
      );
  };

  let context: RenderContext | null = null;
  const el = h(
    "section",
    { class: "screen lists-screen", "aria-labelledby": "lists-screen-heading" },
    [
      heading,
      h("div", { class: "card" }, [h("h2", {}, ["New list"]), createForm, createError]),
      h("h2", { id: "lists-heading", class: "section-title" }, ["Lists"]),
      list,
      empty,
      joinForm,
    ],
  );

  return {
    el,
    update(next) {
      context = next;
      const summaries = listSummaries(next.client.list("list"), next.client.list("item"));
      patchKeyed(list, nodes, summaries, (s) => s.id, create, update);
      show(empty, summaries.length === 0);
      show(list, summaries.length > 0);
      const offline = next.status?.online === false;
      setAttr(joinForm, "data-offline", offline);
    },
    focus() {
      heading.focus();
    },
  };
}
