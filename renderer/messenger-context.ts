import { createContext } from '@lit/context';
import type { MessengerApi } from '../preload/contract.js';

/**
 * The messenger API, provided by xm-app and consumed by any element that
 * calls it, so a component test can hand the tree a fake instead of
 * window.messenger.
 */
export const messengerContext = createContext<MessengerApi | undefined>(Symbol('balcony-messenger'));
