import { h, setText } from "../dom.js";
import type { Screen } from "./context.js";

/** A route that names no screen: say so and offer the way back. */
export function createNotFoundScreen(hash: string): Screen {
  const heading = h("h1", { tabindex: -1 }, ["Page not found"]);
  const el = h("section", { class: "screen", "aria-labelledby": "nf-heading" }, [
    heading,
    h("p", { class: "card" }, [
      `There is nothing at “${hash}”. `,
      h("a", { href: "#/lists" }, ["Go to your lists"]),
    ]),
  ]);
  heading.id = "nf-heading";
  return { el, update: () => {}, focus: () => heading.focus() };
}

export interface StatePanel {
  readonly el: HTMLElement;
  update(state: "loading" | "failed" | "hidden", message: string): void;
}

/** Loading and error states of opening the local database, with a way to try again. */
export function createStatePanel(retry: () => void): StatePanel {
  const text = h("p", {});
  const button = h("button", { type: "button", testid: "open-retry" }, ["Try again"], {
    click: retry,
  });
  const el = h("div", { class: "card state-panel", testid: "app-state", "aria-live": "polite" }, [
    text,
    button,
  ]);
  return {
    el,
    update(state, message) {
      el.hidden = state === "hidden";
      el.dataset.state = state;
      button.hidden = state !== "failed";
      setText(text, message);
    },
  };
}
