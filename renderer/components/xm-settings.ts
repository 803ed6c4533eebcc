import { LitElement, html, nothing } from 'lit';
import { ContextConsumer } from '@lit/context';
import type {
  DesktopCapabilities,
  DesktopSettings,
  MessageSettings,
  MessengerApi,
  Result,
} from '../../preload/contract.js';
import { DialogController } from '../dom/dialog-controller.js';
import { messengerContext } from '../messenger-context.js';
import type { ListOptions } from '../presence/list-options.js';
import { controlStyles } from '../styles/controls.js';
import { dialogStyles } from '../styles/dialog.js';
import { errorWords } from '../words.js';
import { settingsStyles } from './xm-settings.styles.js';

const THEMES: readonly { value: DesktopSettings['theme']; label: string }[] = [
  { value: 'system', label: 'Same as the system' },
  { value: 'light', label: 'Light' },
  { value: 'dark', label: 'Dark' },
];

const DENSITIES: readonly { value: ListOptions['density']; label: string; hint: string }[] = [
  { value: 'compact', label: 'Compact', hint: 'One line per contact.' },
  { value: 'comfortable', label: 'Comfortable', hint: 'Two lines, with more room.' },
];

const MESSAGE_NOTIFICATIONS: readonly { value: MessageSettings['notifications']; label: string; hint: string }[] = [
  { value: 'full', label: 'Show the sender and the message', hint: 'Who wrote and the first line.' },
  { value: 'private', label: 'Show only “New message”', hint: 'No name and no text on the screen.' },
  { value: 'off', label: 'Off', hint: 'Unread counts still show in the list.' },
];

type DesktopFlag = Exclude<keyof DesktopSettings, 'theme'>;

/** Where open() puts the focus: the dialog's first choice, or a section's. */
export type SettingsSection = 'appearance' | 'notifications';

/**
 * "Settings" (issue 13 #3): the one place for the app's settings, from the
 * application menu, the tray or the account menu. Appearance (theme; the
 * list's density, when signed in), notifications (messages; contact
 * requests), privacy (typing notifications), the desktop (tray, start at
 * login, start minimised: disabled, with the reason, where this desktop
 * cannot), spelling. Each change applies at once (no Save): the desktop
 * settings through setDesktopSettings (main then says `desktop-settings`,
 * which the theme follows), the message settings through setMessageSettings;
 * a refusal puts the control back and says why. A native form: Tab between
 * groups, arrows within a radio group, Space toggles, Escape or Close ends it.
 *
 * @fires xm-message-settings-saved - the message settings changed (detail: what main kept)
 * @fires xm-list-options - the density changed (detail: the whole ListOptions, as xm-list-options fires it)
 */
export class XmSettings extends LitElement {
  static override styles = [controlStyles, dialogStyles, settingsStyles];
  static override properties = {
    listOptions: { attribute: false },
    desktop: { state: true },
    capabilities: { state: true },
    messages: { state: true },
    status: { state: true },
  };

  /** The signed-in account's list options (for the density), or null when no one is signed in. */
  declare listOptions: ListOptions | null;
  declare private desktop: DesktopSettings | null;
  declare private capabilities: DesktopCapabilities;
  declare private messages: MessageSettings | null;
  /** "Saved." after a change, for the polite live region. */
  declare private status: string;

  private readonly messenger = new ContextConsumer(this, { context: messengerContext });
  private readonly dialog: DialogController = new DialogController(this);
  /** What main last confirmed, put back when a change is refused. */
  private savedDesktop: DesktopSettings | null = null;
  private savedMessages: MessageSettings | null = null;
  /** Changes go to main one after the other, in the order they were made. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor() {
    super();
    this.listOptions = null;
    this.desktop = null;
    this.capabilities = { hasTray: false, canStartAtLogin: false, osSpellchecker: false };
    this.messages = null;
    this.status = '';
  }

  get isOpen(): boolean {
    return this.renderRoot.querySelector('dialog')?.open ?? false;
  }

  /** Opens the dialog with the current settings, focus on the section's first choice. */
  async open(section: SettingsSection = 'appearance'): Promise<void> {
    this.desktop = null;
    this.messages = null;
    this.status = '';
    await this.dialog.show('#close');
    const messenger = this.messenger.value;
    if (!messenger) return;
    const [desktop, messages] = await Promise.all([
      this.read(() => messenger.getDesktopSettings()),
      this.read(() => messenger.getMessageSettings()),
    ]);
    const failed = !desktop.ok ? desktop.error : !messages.ok ? messages.error : null;
    if (failed) this.dialog.fail(`Could not read the settings: ${errorWords(failed)}`);
    if (desktop.ok) {
      this.desktop = this.savedDesktop = desktop.value.settings;
      this.capabilities = desktop.value.capabilities;
    }
    if (messages.ok) this.messages = this.savedMessages = messages.value;
    await this.updateComplete;
    const first = section === 'notifications' ? '[name="notifications"]:checked' : '[name="theme"]:checked';
    this.renderRoot.querySelector<HTMLElement>(`${first}:not(:disabled)`)?.focus();
  }

  /** A call whose bridge may itself fail (the app closing): always a Result. */
  private async read<T>(call: () => Promise<Result<T>>): Promise<Result<T>> {
    try {
      return await call();
    } catch (error) {
      return {
        ok: false,
        error: { code: 'internal', message: error instanceof Error ? error.message : String(error) },
      };
    }
  }

  /** Sends a change after the ones before it; `settle` gets what main kept, or null when it refused. */
  private change<T>(
    send: (messenger: MessengerApi) => Promise<Result<T>>,
    settle: (kept: T | null) => void,
    what: string,
  ): void {
    const messenger = this.messenger.value;
    if (!messenger) return;
    this.status = '';
    this.dialog.error = '';
    this.queue = this.queue.then(async () => {
      const result = await this.read(() => send(messenger));
      settle(result.ok ? result.value : null);
      if (result.ok) this.status = 'Saved.';
      else this.dialog.fail(`Could not change ${what}: ${errorWords(result.error)}`);
    });
  }

  /** Shown at once; put back to what main last kept if it refuses. */
  private setDesktop(patch: Partial<DesktopSettings>, what: string): void {
    if (!this.desktop) return;
    const next = { ...this.desktop, ...patch };
    this.desktop = next;
    this.change(
      (messenger) => messenger.setDesktopSettings(next),
      (kept) => {
        if (kept) this.savedDesktop = kept;
        else this.desktop = this.savedDesktop;
      },
      what,
    );
  }

  private setMessages(patch: Partial<MessageSettings>, what: string): void {
    if (!this.messages) return;
    const next = { ...this.messages, ...patch };
    this.messages = next;
    this.change(
      (messenger) => messenger.setMessageSettings(next),
      (kept) => {
        if (!kept) {
          this.messages = this.savedMessages;
          return;
        }
        this.savedMessages = kept;
        this.dispatchEvent(
          new CustomEvent('xm-message-settings-saved', { bubbles: true, composed: true, detail: kept }),
        );
      },
      what,
    );
  }

  /** The density is the list's own option (kept per account in this window): no call to main. */
  private setDensity(density: ListOptions['density']): void {
    if (!this.listOptions) return;
    this.listOptions = { ...this.listOptions, density };
    this.dispatchEvent(
      new CustomEvent('xm-list-options', { bubbles: true, composed: true, detail: { ...this.listOptions } }),
    );
    this.status = 'Saved.';
  }

  private flag(flag: DesktopFlag, label: string, hint: string, unavailable: string | null) {
    const desktop = this.desktop;
    const disabled = !desktop || unavailable !== null;
    return html`<label class="choice ${disabled && desktop ? 'unavailable' : ''}">
      <input
        id=${flag}
        type="checkbox"
        aria-labelledby="${flag}-label"
        aria-describedby="${flag}-hint"
        ?disabled=${disabled}
        .checked=${desktop?.[flag] ?? false}
        @change=${(e: Event) => this.setDesktop({ [flag]: (e.target as HTMLInputElement).checked }, `“${label}”`)}
      />
      <span id="${flag}-label">${label}</span>
      <span class="hint" id="${flag}-hint">${unavailable ?? hint}</span>
    </label>`;
  }

  /** One radio of a group whose choices each carry a hint under their label (the hint is its description). */
  private hintedRadio(
    group: string,
    choice: { value: string; label: string; hint: string },
    checked: boolean,
    choose: () => void,
  ) {
    const id = `${group}-${choice.value}`;
    return html`<label class="choice">
      <input
        type="radio"
        name=${group}
        value=${choice.value}
        aria-labelledby="${id}-label"
        aria-describedby="${id}-hint"
        .checked=${checked}
        @change=${choose}
      />
      <span id="${id}-label">${choice.label}</span>
      <span class="hint" id="${id}-hint">${choice.hint}</span>
    </label>`;
  }

  protected override render() {
    const desktop = this.desktop;
    const messages = this.messages;
    const { hasTray, canStartAtLogin, osSpellchecker } = this.capabilities;
    return html`<dialog aria-labelledby="title" @close=${this.dialog.onClose}>
      <h2 id="title">Settings</h2>
      ${this.dialog.renderError()}
      <section aria-labelledby="appearance">
        <h3 id="appearance">Appearance</h3>
        <fieldset ?disabled=${!desktop}>
          <legend>Theme</legend>
          <div class="segments">
            ${THEMES.map(
              (theme) =>
                html`<label class="segment">
                  <input
                    type="radio"
                    name="theme"
                    value=${theme.value}
                    .checked=${desktop?.theme === theme.value}
                    @change=${() => this.setDesktop({ theme: theme.value }, 'the theme')}
                  />
                  <span>${theme.label}</span>
                </label>`,
            )}
          </div>
        </fieldset>
        ${
          this.listOptions
            ? html`<fieldset>
                <legend>Contact list rows</legend>
                ${DENSITIES.map((density) =>
                  this.hintedRadio('density', density, this.listOptions?.density === density.value, () =>
                    this.setDensity(density.value),
                  ),
                )}
              </fieldset>`
            : nothing
        }
      </section>
      <section aria-labelledby="notifications">
        <h3 id="notifications">Notifications</h3>
        <fieldset ?disabled=${!messages}>
          <legend>New messages</legend>
          ${MESSAGE_NOTIFICATIONS.map((choice) =>
            this.hintedRadio('notifications', choice, messages?.notifications === choice.value, () =>
              this.setMessages({ notifications: choice.value }, 'message notifications'),
            ),
          )}
        </fieldset>
        ${this.flag(
          'requestNotifications',
          'Notify me of contact requests',
          'When someone asks to see your presence (without their address when messages show only “New message”).',
          null,
        )}
      </section>
      <section aria-labelledby="privacy">
        <h3 id="privacy">Privacy</h3>
        <label class="choice">
          <input
            id="chat-states"
            type="checkbox"
            aria-labelledby="chat-states-label"
            aria-describedby="chat-states-hint"
            ?disabled=${!messages}
            .checked=${messages?.sendChatStates ?? false}
            @change=${(e: Event) =>
              this.setMessages({ sendChatStates: (e.target as HTMLInputElement).checked }, 'typing notifications')}
          />
          <span id="chat-states-label">Let contacts see when I am typing</span>
          <span class="hint" id="chat-states-hint">Only contacts who share their status with you.</span>
        </label>
      </section>
      <section aria-labelledby="desktop">
        <h3 id="desktop">Desktop</h3>
        ${this.flag(
          'keepInTray',
          'Keep Balcony running in the tray when the window is closed',
          'You stay online and get notifications; quit from the tray icon.',
          hasTray ? null : 'Not available: this desktop has no system tray.',
        )}
        ${this.flag(
          'startAtLogin',
          'Start Balcony when I log in',
          'Opens with your session, signed in.',
          canStartAtLogin ? null : 'Not available on this system.',
        )}
        ${this.flag(
          'startMinimised',
          'Start minimised in the tray',
          'At login, without showing the window.',
          !hasTray
            ? 'Not available: this desktop has no system tray.'
            : !canStartAtLogin
              ? 'Not available on this system.'
              : desktop && !desktop.startAtLogin
                ? 'Turn on “Start Balcony when I log in” first.'
                : null,
        )}
      </section>
      <section aria-labelledby="spelling">
        <h3 id="spelling">Spelling</h3>
        ${this.flag(
          'spellcheck',
          'Check spelling as I type',
          osSpellchecker
            ? 'Uses your system’s dictionaries.'
            : 'On Linux, turning this on downloads the dictionaries from Google’s servers.',
          null,
        )}
      </section>
      <p class="status" role="status">${this.status}</p>
      <div class="buttons">
        <button id="close" type="button" class="primary" @click=${() => this.dialog.close()}>Close</button>
      </div>
    </dialog>`;
  }
}

customElements.define('xm-settings', XmSettings);

declare global {
  interface HTMLElementTagNameMap {
    'xm-settings': XmSettings;
  }
  interface GlobalEventHandlersEventMap {
    'xm-message-settings-saved': CustomEvent<MessageSettings>;
  }
}
