import type { SyncClient, SyncStatus } from "@sync/sync-client";
import type { Route } from "../route.js";
import type { UiNotice } from "../ui-notices.js";

/** What every screen reads when it renders. */
export interface RenderContext {
  readonly client: SyncClient;
  readonly status: SyncStatus | null;
  readonly now: number;
}

/** What screens may ask the app to do. Failures become visible notices, never silence. */
export interface Actions {
  /** Runs a write; if it rejects, the person sees `failure` and the reason. */
  run(task: () => Promise<unknown>, failure: string): Promise<boolean>;
  notify(notice: Omit<UiNotice, "id" | "at">): void;
  navigate(route: Route): void;
  joinList(code: string): Promise<void>;
}

export interface Screen {
  readonly el: HTMLElement;
  update(context: RenderContext): void;
  /** Moves focus to the screen's heading after navigation, for keyboard and screen-reader users. */
  focus(): void;
}
