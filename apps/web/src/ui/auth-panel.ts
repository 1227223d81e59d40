import type { Credentials } from "../api.js";
import { h, setText, show } from "../dom.js";

export interface AuthHandlers {
  signIn(credentials: Credentials): Promise<void>;
  signUp(credentials: Credentials): Promise<void>;
}

export interface AuthPanel {
  readonly el: HTMLElement;
  /** `reason` explains why we ask (e.g. the session ended while changes wait on this device). */
  update(reason: string | null, knownUsername: string | null): void;
  focus(): void;
}

type Mode = "signin" | "signup";

function authForm(mode: Mode, submit: (c: Credentials) => Promise<void>) {
  const prefix = mode;
  const title = mode === "signin" ? "Sign in" : "Create an account";
  const username = h("input", {
    id: `${prefix}-username`,
    testid: `${prefix}-username`,
    name: "username",
    autocomplete: "username",
    autocapitalize: "none",
    spellcheck: "false",
    required: true,
    maxlength: 64,
  });
  const password = h("input", {
    id: `${prefix}-password`,
    testid: `${prefix}-password`,
    name: "password",
    type: "password",
    autocomplete: mode === "signin" ? "current-password" : "new-password",
    required: true,
  });
  const error = h("p", { class: "form-error", role: "alert", id: `${prefix}-error` });
  const button = h("button", { type: "submit", class: "primary", testid: `${prefix}-submit` }, [
    title,
  ]);
  const form = h(
    "form",
    { class: "card auth-form", "aria-labelledby": `${prefix}-title`, novalidate: true },
    [
      h("h2", { id: `${prefix}-title` }, [title]),
      h("label", { for: username.id }, ["Username"]),
      username,
      h("label", { for: password.id }, ["Password"]),
      password,
      error,
      button,
    ],
    {
      submit: (event) => {
        event.preventDefault();
        const credentials = { username: username.value.trim(), password: password.value };
        if (credentials.username === "" || credentials.password === "") {
          setText(error, "Enter a username and a password.");
          (credentials.username === "" ? username : password).focus();
          return;
        }
        setText(error, "");
        button.disabled = true;
        form.setAttribute("aria-busy", "true");
        submit(credentials)
          .then(() => {
            password.value = "";
          })
          .catch((e: unknown) => {
            setText(error, e instanceof Error ? e.message : String(e));
            password.focus();
          })
          .finally(() => {
            button.disabled = false;
            form.removeAttribute("aria-busy");
          });
      },
    },
  );
  return { form, username, password };
}

export function createAuthPanel(handlers: AuthHandlers): AuthPanel {
  const signin = authForm("signin", handlers.signIn);
  const signup = authForm("signup", handlers.signUp);
  const reason = h("p", { class: "auth-reason", id: "auth-reason" });
  const heading = h("h1", { tabindex: -1 }, ["Welcome"]);
  const intro = h("p", { class: "muted" }, [
    "Shared shopping lists that work offline. Sign in, or create an account to start.",
  ]);
  const el = h("section", { class: "auth", "aria-labelledby": "auth-heading" }, [
    heading,
    intro,
    reason,
    h("div", { class: "auth-forms" }, [signin.form, signup.form]),
  ]);
  heading.id = "auth-heading";
  return {
    el,
    update(why, knownUsername) {
      setText(heading, why ? "Sign in again" : "Welcome");
      show(intro, why === null);
      // Signing in again is the one thing to do; another account can still sign in here.
      show(signup.form, why === null);
      setText(reason, why ?? "");
      show(reason, why !== null);
      if (
        knownUsername &&
        signin.username.value === "" &&
        document.activeElement !== signin.username
      ) {
        signin.username.value = knownUsername;
      }
    },
    focus() {
      (signin.username.value === "" ? signin.username : signin.password).focus();
    },
  };
}
