import type { Locator, Page } from "@playwright/test";

/** Open "ask the user" conflicts: both values side by side, the person picks one. */
export class ConflictInbox {
  readonly page: Page;

  constructor(page: Page) {
    this.page = page;
  }

  get conflicts(): Locator {
    return this.page.getByTestId("conflict");
  }

  async keepMine(conflict: Locator): Promise<void> {
    await conflict.getByTestId("conflict-keep-mine").click();
  }

  async keepTheirs(conflict: Locator): Promise<void> {
    await conflict.getByTestId("conflict-keep-server").click();
  }
}
