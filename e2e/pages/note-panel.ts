import { expect, type Locator, type Page } from "@playwright/test";

/** The open list's note: one per list, edited in place. */
export class NotePanel {
  readonly page: Page;

  constructor(page: Page) {
    this.page = page;
  }

  get root(): Locator {
    return this.page.getByTestId("note");
  }

  get body(): Locator {
    return this.root.getByTestId("note-body");
  }

  /** Opens the editor, replaces the text, saves, and waits until the note shows it. */
  async write(text: string): Promise<void> {
    await this.root.getByTestId("note-edit").click();
    const input = this.root.getByTestId("note-input");
    await input.fill(text);
    await this.root.getByTestId("note-save").click();
    await expect(input).toBeHidden();
    await expect(this.body).toHaveText(text);
  }
}
