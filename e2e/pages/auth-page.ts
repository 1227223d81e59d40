import type { Page } from "@playwright/test";
import type { Session } from "../support/api.js";

/** Sign-up and sign-in forms. Each action returns the session the server answered with. */
export class AuthPage {
  readonly page: Page;

  constructor(page: Page) {
    this.page = page;
  }

  async signUp(username: string, password: string): Promise<Session> {
    return this.submit("signup", username, password);
  }

  async signIn(username: string, password: string): Promise<Session> {
    return this.submit("signin", username, password);
  }

  private async submit(
    form: "signup" | "signin",
    username: string,
    password: string,
  ): Promise<Session> {
    const answer = this.page.waitForResponse(
      (res) => res.url().endsWith(`/api/auth/${form}`) && res.request().method() === "POST",
    );
    await this.page.getByTestId(`${form}-username`).fill(username);
    await this.page.getByTestId(`${form}-password`).fill(password);
    await this.page.getByTestId(`${form}-submit`).click();
    const res = await answer;
    if (!res.ok()) throw new Error(`${form} failed: HTTP ${res.status()} ${await res.text()}`);
    return (await res.json()) as Session;
  }
}
