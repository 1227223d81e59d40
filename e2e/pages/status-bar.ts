import { expect, type Locator, type Page } from "@playwright/test";

/** The sync indicator: state (offline | syncing | synced | error | signed-out) and pending count. */
export class StatusBar {
  readonly page: Page;

  constructor(page: Page) {
    this.page = page;
  }

  state(): Locator {
    return this.page.getByTestId("sync-status");
  }

  pending(): Locator {
    return this.page.getByTestId("pending-count");
  }

  async expectState(state: "offline" | "syncing" | "synced" | "error" | "signed-out") {
    await expect(this.state()).toHaveAttribute("data-state", state);
  }

  async expectPending(count: number): Promise<void> {
    await expect(this.pending()).toHaveText(String(count));
  }

  /** Everything confirmed by the server: synced and nothing pending. */
  async expectSynced(): Promise<void> {
    await this.expectState("synced");
    await this.expectPending(0);
  }
}
