/**
 * The window's colour before the page has painted (issue 13 #1: no white
 * flash in a dark desktop, no blank frame): the page's own background,
 * --xm-bg of renderer/styles/theme.ts (a unit test keeps the two the same).
 */
export const WINDOW_BACKGROUND = { light: '#f4f5f7', dark: '#0f1114' } as const;

export function windowBackground(dark: boolean): string {
  return dark ? WINDOW_BACKGROUND.dark : WINDOW_BACKGROUND.light;
}
