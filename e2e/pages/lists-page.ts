import { expect, type Locator, type Page } from "@playwright/test";
import { exactText } from "./text.js";

/** The person's lists: create, open, join by invite code. */
export class ListsPage {
  readonly page: Page;

  constructor(page: Page) {
    this.page = page;
  }

  /** The link shows the title and a summary line (no testid of its own), so match a prefix. */
  link(title: string): Locator {
    return this.page.getByTestId("list-link").filter({ hasText: title });
  }

  async createList(title: string): Promise<void> {
    await this.page.getByTestId("new-list-input").fill(title);
    await this.page.getByTestId("new-list-submit").click();
  }

  /** Opens the list unless it is already the one on screen. */
  async openList(title: string): Promise<void> {
    const heading = this.page.getByTestId("list-title").filter({ hasText: exactText(title) });
    await expect(this.link(title).or(heading).first()).toBeVisible();
    if (!(await heading.isVisible())) await this.link(title).click();
    await expect(heading).toBeVisible();
  }

  async joinByCode(code: string): Promise<void> {
    await this.page.getByTestId("join-code-input").fill(code);
    await this.page.getByTestId("join-code-submit").click();
  }
}
