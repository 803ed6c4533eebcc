import type { MessengerApi } from '../preload/contract.js';

declare global {
  interface Window {
    /** The one object the preload exposes (preload/contract.ts); the renderer's only way out. */
    messenger: MessengerApi;
  }
}

export {};
