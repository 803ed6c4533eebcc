import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { AppCommand, MessengerApi } from '../preload/contract.js';
import { MessengerEventsController } from './messenger-events.js';

export type AppCommandHandlers = Record<AppCommand, () => void>;

const COMMANDS = new Set<string>([
  'settings',
  'about',
  'keyboard-help',
  'connection-report',
  'add-contact',
  'copy-address',
  'show-address',
] satisfies AppCommand[]);

/**
 * Carries out what the application menu or the tray asks of the window
 * (`{ type: 'command' }` events, issue 13 #3): each command goes to its
 * handler; an unknown one (a newer main, a damaged event) is ignored.
 */
export class AppCommandsController implements ReactiveController {
  constructor(host: ReactiveControllerHost, messenger: () => MessengerApi | undefined, handlers: AppCommandHandlers) {
    host.addController(this);
    new MessengerEventsController(host, messenger, (event) => {
      if (event.type === 'command' && COMMANDS.has(event.command)) handlers[event.command]();
    });
  }

  hostConnected(): void {
    // the subscription is the events controller's
  }
}
