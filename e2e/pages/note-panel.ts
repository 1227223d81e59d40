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

  get input(): Locator {
    return this.root.getByTestId("note-input");
  }

  /** Opens the editor and leaves it open. */
  async startEditing(): Promise<void> {
    await this.root.getByTestId("note-edit").click();
    await expect(this.input).toBeVisible();
  }

  /** Replaces the text in the open editor and saves. */
  async save(text: string): Promise<void> {
    await this.input.fill(text);
    await this.root.getByTestId("note-save").click();
    await expect(this.input).toBeHidden();
  }

  /** Opens the editor, replaces the text, saves, and waits until the note shows it. */
  async write(text: string): Promise<void> {
    await this.startEditing();
    await this.save(text);
    await expect(this.body).toHaveText(text);
  }
}
