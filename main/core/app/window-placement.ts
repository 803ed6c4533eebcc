/**
 * Where the window opens (issue 10 #1): 1000 × 700 the first time, then the
 * size and position it had when it was last closed, kept on screen. Since
 * issue 13 #1 this is remembered per display: back on the display it was
 * last on when that one is still there, else where it last was on a display
 * that is (the laptop's own screen after undocking), else centred on the
 * primary. The decisions are here, free of Electron, so they can be tested;
 * main/window.ts only reads the displays and the window's bounds.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** What is remembered: the window's normal (not maximized) bounds, and whether it was maximized. */
export interface SavedWindow extends Rect {
  maximized: boolean;
}

/** What the window opens with: no x/y means "centred by the system". */
export interface Placement {
  width: number;
  height: number;
  x?: number;
  y?: number;
  maximized: boolean;
}

/** Two panes side by side (the two-pane layout starts at about 700 px). */
export const DEFAULT_SIZE = { width: 1000, height: 700 } as const;
/** The smallest window the layout supports (one pane at a time). */
export const MIN_SIZE = { width: 320, height: 400 } as const;
export const WINDOW_FILE = 'window.json';

/** How much of the window must lie on a display for its remembered position to count (the title bar, grabbable). */
const VISIBLE = { width: 100, height: 40 } as const;
/** Far above any real screen: a size or position beyond it is damage, not a place. */
const MAX_COORDINATE = 100_000;

function overlap(a: Rect, b: Rect): { width: number; height: number } {
  return {
    width: Math.max(0, Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x)),
    height: Math.max(0, Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y)),
  };
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(Math.max(value, min), Math.max(min, max));
}

/** A size that fits `area`, but never below the minimum the layout needs. */
function fitSize(width: number, height: number, area: Rect): { width: number; height: number } {
  return {
    width: Math.round(clamp(width, MIN_SIZE.width, area.width)),
    height: Math.round(clamp(height, MIN_SIZE.height, area.height)),
  };
}

/**
 * The placement for a window remembered as `saved` (anything: it comes from
 * a file) on displays whose work areas are `areas`, the primary first. A
 * window whose display is gone, or that would be mostly off screen, opens
 * centred on the primary display; a size larger than its display shrinks to
 * fit it.
 */
export function placeWindow(saved: unknown, areas: readonly Rect[]): Placement {
  const primary = areas[0] ?? { x: 0, y: 0, width: DEFAULT_SIZE.width, height: DEFAULT_SIZE.height };
  const remembered = parseSavedWindow(saved);
  if (!remembered) return { ...fitSize(DEFAULT_SIZE.width, DEFAULT_SIZE.height, primary), maximized: false };
  // The display it is most on, if the title bar's worth of it is visible there.
  let best: Rect | null = null;
  let bestArea = 0;
  for (const area of areas) {
    const o = overlap(remembered, area);
    if (
      o.width >= Math.min(VISIBLE.width, remembered.width) &&
      o.height >= Math.min(VISIBLE.height, remembered.height)
    ) {
      if (o.width * o.height > bestArea) {
        best = area;
        bestArea = o.width * o.height;
      }
    }
  }
  if (!best) return { ...fitSize(remembered.width, remembered.height, primary), maximized: remembered.maximized };
  const size = fitSize(remembered.width, remembered.height, best);
  return {
    ...size,
    // Moved just enough to be whole on that display.
    x: Math.round(clamp(remembered.x, best.x, best.x + best.width - size.width)),
    y: Math.round(clamp(remembered.y, best.y, best.y + best.height - size.height)),
    maximized: remembered.maximized,
  };
}

/** `value` as a SavedWindow when it is one (finite numbers in range, a positive size), else null. */
export function parseSavedWindow(value: unknown): SavedWindow | null {
  if (typeof value !== 'object' || value === null) return null;
  const v = value as Record<string, unknown>;
  const numbers = [v.x, v.y, v.width, v.height];
  if (!numbers.every((n) => typeof n === 'number' && Number.isFinite(n) && Math.abs(n) <= MAX_COORDINATE)) return null;
  const [x, y, width, height] = numbers as [number, number, number, number];
  if (width <= 0 || height <= 0) return null;
  return { x, y, width, height, maximized: v.maximized === true };
}

/** A display as main/window.ts reads it from Electron's screen module. */
export interface DisplayInfo {
  id: number;
  bounds: Rect;
  workArea: Rect;
}

/** The window as last closed on one display. */
export interface DisplayMemory {
  /** Electron's display id (from the EDID where there is one), and the display's bounds then. */
  display: { id: number; bounds: Rect };
  window: SavedWindow;
}

/** What window.json holds since issue 13: the displays the window was on, the most recent first. */
export interface WindowMemory {
  version: 2;
  displays: DisplayMemory[];
}

/** Displays remembered at most: a laptop taken to a few desks and meeting rooms, not every projector it met. */
export const REMEMBERED_DISPLAYS = 8;

function parseRect(value: unknown): Rect | null {
  const saved = parseSavedWindow(value);
  return saved && { x: saved.x, y: saved.y, width: saved.width, height: saved.height };
}

const sameRect = (a: Rect, b: Rect): boolean =>
  a.x === b.x && a.y === b.y && a.width === b.width && a.height === b.height;

/** `value` as WindowMemory (damaged entries dropped); an issue 10 file (one SavedWindow) reads as no display. */
export function parseWindowMemory(value: unknown): WindowMemory {
  const v = typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  const list = v.version === 2 && Array.isArray(v.displays) ? (v.displays as unknown[]) : [];
  const displays: DisplayMemory[] = [];
  for (const entry of list.slice(0, REMEMBERED_DISPLAYS)) {
    const e = typeof entry === 'object' && entry !== null ? (entry as Record<string, unknown>) : {};
    const d = typeof e.display === 'object' && e.display !== null ? (e.display as Record<string, unknown>) : {};
    const bounds = parseRect(d.bounds);
    const window = parseSavedWindow(e.window);
    if (bounds && window && typeof d.id === 'number' && Number.isSafeInteger(d.id))
      displays.push({ display: { id: d.id, bounds }, window });
  }
  return { version: 2, displays };
}

/** The display `memory` was made on, if it is connected: the same id, or (ids can change) the same bounds. */
function presentDisplay(memory: DisplayMemory, displays: readonly DisplayInfo[]): DisplayInfo | undefined {
  return (
    displays.find((d) => d.id === memory.display.id) ?? displays.find((d) => sameRect(d.bounds, memory.display.bounds))
  );
}

/**
 * The placement for the memory in window.json (anything: it comes from a
 * file) on the connected `displays`, the primary first. An issue 10 file (one
 * window, no display) is placed as it was then.
 */
export function placeWindowOnDisplays(saved: unknown, displays: readonly DisplayInfo[]): Placement {
  const areas = displays.map((d) => d.workArea);
  const memory = parseWindowMemory(saved);
  if (memory.displays.length === 0) return placeWindow(parseSavedWindow(saved), areas);
  for (const entry of memory.displays) {
    const display = presentDisplay(entry, displays);
    if (!display) continue;
    // The display moved in the arrangement (another one plugged in to its left): the window moves with it.
    const dx = display.bounds.x - entry.display.bounds.x;
    const dy = display.bounds.y - entry.display.bounds.y;
    const window = { ...entry.window, x: entry.window.x + dx, y: entry.window.y + dy };
    // Its own display first, so that is where it is kept whole.
    return placeWindow(window, [display.workArea, ...areas.filter((a) => a !== display.workArea)]);
  }
  // None of its displays is here: its last size, centred on the primary.
  return placeWindow(memory.displays[0]?.window ?? null, areas);
}

/** `memory` (anything read from the file) with `window` as the last closed on `display`, that display first. */
export function rememberWindow(memory: unknown, window: SavedWindow, display: DisplayInfo): WindowMemory {
  const others = parseWindowMemory(memory).displays.filter(
    (entry) => entry.display.id !== display.id && !sameRect(entry.display.bounds, display.bounds),
  );
  const entry: DisplayMemory = { display: { id: display.id, bounds: { ...display.bounds } }, window: { ...window } };
  return { version: 2, displays: [entry, ...others].slice(0, REMEMBERED_DISPLAYS) };
}

/** What window.json holds as parsed JSON (for placeWindowOnDisplays and rememberWindow), or null. */
export function readWindowMemory(profileDir: string): unknown {
  try {
    return JSON.parse(readFileSync(join(profileDir, WINDOW_FILE), 'utf8'));
  } catch {
    return null;
  }
}

/** Writes window.json as writeSavedWindow does (beside and renamed over; a failure is only logged). */
export function writeWindowMemory(profileDir: string, memory: WindowMemory, log?: (message: string) => void): void {
  writeWindowFile(profileDir, memory, log);
}

/** The remembered window in `profileDir`, or null (none yet, unreadable, damaged). */
export function readSavedWindow(profileDir: string): SavedWindow | null {
  try {
    return parseSavedWindow(JSON.parse(readFileSync(join(profileDir, WINDOW_FILE), 'utf8')));
  } catch {
    return null;
  }
}

/**
 * Remembers the window; written beside and renamed over, so a crash leaves
 * the old file or the new one. A failure (read-only or full disk) only
 * loses the placement: it is logged, never thrown at a window that closes.
 */
export function writeSavedWindow(profileDir: string, saved: SavedWindow, log?: (message: string) => void): void {
  writeWindowFile(profileDir, saved, log);
}

function writeWindowFile(profileDir: string, value: unknown, log?: (message: string) => void): void {
  const file = join(profileDir, WINDOW_FILE);
  try {
    writeFileSync(`${file}.tmp`, JSON.stringify(value));
    renameSync(`${file}.tmp`, file);
  } catch (error) {
    log?.(`window: the size and position could not be saved (${(error as Error).message})`);
  }
}
