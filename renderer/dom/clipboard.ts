/**
 * Copies `text` to the clipboard; false when the page may not (no focus, the
 * permission refused), so the caller says so instead of claiming it worked.
 */
export async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}
