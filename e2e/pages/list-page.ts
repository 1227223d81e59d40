import { expect, type Locator, type Page } from "@playwright/test";
import { exactText } from "./text.js";

/** One open list: its items and what can be done to them. Items are found by their text or id. */
export class ListPage {
  readonly page: Page;

  constructor(page: Page) {
    this.page = page;
  }

  get title(): Locator {
    return this.page.getByTestId("list-title");
  }

  get items(): Locator {
    return this.page.getByTestId("item");
  }

  /** The visible item whose text is exactly `text`. */
  item(text: string): Locator {
    return this.items.filter({
      has: this.page.getByTestId("item-text").filter({ hasText: exactText(text) }),
    });
  }

  itemById(id: string): Locator {
    return this.page.locator(`[data-testid="item"][data-item-id="${id}"]`);
  }

  async idOf(text: string): Promise<string> {
    return this.idOfItem(this.item(text));
  }

  async idOfItem(item: Locator): Promise<string> {
    const id = await item.getAttribute("data-item-id");
    if (!id) throw new Error("item has no data-item-id");
    return id;
  }

  async inviteCode(): Promise<string> {
    const invite = this.page.getByTestId("share-invite");
    // The code appears once the server confirmed the list (it is server-assigned).
    await expect(invite).toHaveText(/[A-Z0-9]{10}/, { timeout: 15_000 });
    const code = (await invite.textContent())?.match(/[A-Z0-9]{10}/)?.[0];
    if (!code) throw new Error("no invite code on screen");
    return code;
  }

  async addItem(text: string): Promise<Locator> {
    await this.page.getByTestId("new-item-input").fill(text);
    await this.page.getByTestId("new-item-submit").click();
    const item = this.item(text);
    await expect(item).toBeVisible();
    return item;
  }

  async toggle(item: Locator): Promise<void> {
    await item.getByTestId("item-toggle").click();
  }

  /** Inline edit; the row is followed by id because its text changes. */
  async edit(item: Locator, text: string): Promise<void> {
    const row = this.itemById(await this.idOfItem(item));
    await row.getByTestId("item-edit").click();
    const input = row.getByTestId("item-edit-input");
    await input.fill(text);
    await input.press("Enter");
    await expect(input).toBeHidden();
    await expect(row.getByTestId("item-text")).toHaveText(text);
  }

  async inc(item: Locator, times = 1): Promise<void> {
    for (let i = 0; i < times; i++) await this.step(item, "item-qty-inc", +1);
  }

  async dec(item: Locator, times = 1): Promise<void> {
    for (let i = 0; i < times; i++) await this.step(item, "item-qty-dec", -1);
  }

  async delete(item: Locator): Promise<void> {
    await item.getByTestId("item-delete").click();
    await expect(item).toHaveCount(0);
  }

  /** The undo offered in the notice that follows the delete of the item called `text`. */
  async undoDelete(text: string): Promise<void> {
    await this.page
      .getByTestId("notice")
      .filter({ hasText: text })
      .getByTestId("notice-undo")
      .click();
  }

  qty(item: Locator): Locator {
    return item.getByTestId("item-qty");
  }

  checkbox(item: Locator): Locator {
    return item.getByTestId("item-toggle");
  }

  /** One click, then wait until the count moved, so consecutive clicks are distinct operations. */
  private async step(item: Locator, testId: string, delta: number): Promise<void> {
    const qty = this.qty(item);
    const before = Number(await qty.textContent());
    await item.getByTestId(testId).click();
    await expect(qty).toHaveText(String(before + delta));
  }
}
