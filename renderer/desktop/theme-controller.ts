import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { DesktopSettings, MessengerApi } from '../../preload/contract.js';
import { MessengerEventsController } from '../messenger-events.js';

type Theme = DesktopSettings['theme'];

/**
 * The theme the user chose in Settings (issue 13 #3), over the system's:
 * `data-theme="light" | "dark"` on the host (whose theme tokens follow it,
 * styles/theme.ts) and on the document's root (its `color-scheme`: scroll
 * bars, the page behind); no attribute for "system", where
 * prefers-color-scheme decides. Read once the host connects, then kept in
 * step with main's `desktop-settings` events (a change here or in the tray).
 */
export class ThemeController implements ReactiveController {
  theme: Theme = 'system';
  /** Bumped by each event, so a slow first read never undoes a newer choice. */
  #generation = 0;

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly messenger: () => MessengerApi | undefined,
  ) {
    host.addController(this);
    new MessengerEventsController(host, messenger, (event) => {
      if (event.type !== 'desktop-settings') return;
      this.#generation += 1;
      this.apply(event.settings.theme);
    });
  }

  hostConnected(): void {
    void this.load();
  }

  private async load(): Promise<void> {
    const generation = this.#generation;
    const result = await this.messenger()?.getDesktopSettings();
    if (result?.ok && generation === this.#generation) this.apply(result.value.settings.theme);
  }

  apply(theme: Theme): void {
    this.theme = theme;
    for (const element of [this.host, document.documentElement]) {
      if (theme === 'system') element.removeAttribute('data-theme');
      else element.setAttribute('data-theme', theme);
    }
  }
}
