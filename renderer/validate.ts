// Checks run as the user types. They only catch what is plainly not an
// address; main validates for real and its answer is shown as it comes.

/** Why `text` is not a bare JID (something@domain), or null when it looks like one. */
export function jidProblem(text: string): string | null {
  const value = text.trim();
  if (value === '') return 'Enter an address, like name@example.com.';
  if (/\s/.test(value)) return 'An address has no spaces.';
  if (value.includes('/')) return 'Leave out the part after “/”.';
  const at = value.indexOf('@');
  if (at <= 0 || at !== value.lastIndexOf('@')) return 'Use the form name@example.com.';
  const domain = value.slice(at + 1);
  if (domain === '' || domain.startsWith('.') || domain.endsWith('.') || domain.includes('..'))
    return 'The part after “@” must be a server name, like example.com.';
  return null;
}

/** Why `text` is not a port, or null when it is empty (use the default) or 1–65535. */
export function portProblem(text: string): string | null {
  const value = text.trim();
  if (value === '') return null;
  const port = Number(value);
  return /^\d+$/.test(value) && port >= 1 && port <= 65535 ? null : 'The port is a number from 1 to 65535.';
}
