import { html, type LitElement, type ReactiveController, type TemplateResult } from 'lit';
import type { ErrorInfo, Result } from '../../preload/contract.js';
import { errorWords } from '../words.js';
import { deepActiveElement, rememberFocus } from './focus.js';

/**
 * The one pattern for Balcony's dialogs: a native modal <dialog> (whose
 * showModal() makes the rest of the page inert, so the focus trap and Escape
 * are the browser's), opened with focus on a chosen control, closed with
 * focus given back to where it was, and one way to run a call with a busy
 * state and its error shown in plain words.
 *
 * The host renders `<dialog @close=${controller.onClose}>` and, inside it,
 * `controller.renderError()`; its buttons read `controller.busy`.
 */
/** Before the first show() there is no focus to give back. */
const doNothing = (): void => undefined;

export class DialogController implements ReactiveController {
  /** A call is running: the primary button says so and a second click does nothing. */
  busy = false;
  /** The last failure in plain words, or ''. */
  error = '';
  #restoreFocus: () => void = doNothing;

  constructor(private readonly host: LitElement) {
    host.addController(this);
  }

  hostConnected(): void {
    // nothing to subscribe to: the state lives here and is rendered by the host
  }

  get dialog(): HTMLDialogElement {
    const dialog = this.host.renderRoot.querySelector('dialog');
    if (!dialog) throw new Error(`${this.host.localName} renders no <dialog>`);
    return dialog;
  }

  /** Opens the dialog (state reset, focus remembered) and focuses `focus` (a selector in the host's shadow root). */
  async show(focus: string): Promise<void> {
    this.#restoreFocus = rememberFocus();
    this.busy = false;
    this.error = '';
    this.host.requestUpdate();
    await this.host.updateComplete;
    if (!this.dialog.open) this.dialog.showModal();
    this.host.renderRoot.querySelector<HTMLElement>(focus)?.focus();
  }

  close(): void {
    this.dialog.close();
  }

  /**
   * For the dialog's `@close`: Escape, Cancel and close() all give focus back. The close event comes
   * a task after the dialog has gone (and the browser has put focus back where it could): a key
   * pressed in between (Shift+F10 opening a menu) has moved focus on, and that focus stays.
   */
  readonly onClose = (): void => {
    const active = deepActiveElement();
    const settled = active !== null && active !== document.body && !this.dialog.contains(active);
    if (!settled) this.#restoreFocus();
  };

  /** Shows `message` as the dialog's error. */
  fail(message: string): void {
    this.error = message;
    this.host.requestUpdate();
  }

  /**
   * Runs `call` with the busy state on; a refusal becomes the dialog's error.
   * Resolves to the call's Result, or to null when a call was already running.
   */
  async run<T>(call: () => Promise<Result<T>>): Promise<Result<T> | null> {
    if (this.busy) return null;
    this.busy = true;
    this.error = '';
    this.host.requestUpdate();
    let result: Result<T>;
    try {
      result = await call();
    } catch (error) {
      // the bridge itself failed (the app is closing): say so rather than stay busy
      const info: ErrorInfo = { code: 'internal', message: error instanceof Error ? error.message : String(error) };
      result = { ok: false, error: info };
    }
    this.busy = false;
    if (!result.ok) this.error = errorWords(result.error);
    this.host.requestUpdate();
    return result;
  }

  /** The error line: announced when it changes, empty (but present) otherwise. */
  renderError(): TemplateResult {
    return html`<p class="error" role="alert">${this.error}</p>`;
  }
}
