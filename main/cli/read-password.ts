/** The password: from BALCONY_PASSWORD, else asked on the terminal without echo. */
import { BalconyError } from '../core/errors.js';
import { printable } from './cli-output.js';

export async function readPassword(account: string): Promise<string> {
  const fromEnv = process.env.BALCONY_PASSWORD;
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  const input = process.stdin;
  if (!input.isTTY) {
    throw new BalconyError('invalid-argument', 'No password: set BALCONY_PASSWORD or run on a terminal.');
  }
  process.stderr.write(`Password for ${printable(account)}: `);
  input.setRawMode(true);
  input.resume();
  input.setEncoding('utf8');
  return new Promise((resolve, reject) => {
    let password = '';
    const onData = (chunk: string): void => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') {
          finish();
          resolve(password);
          return;
        }
        if (ch === '\u0003') {
          finish();
          reject(new BalconyError('invalid-argument', 'Cancelled.'));
          return;
        }
        if (ch === '\u007f' || ch === '\b') password = password.slice(0, -1);
        else password += ch;
      }
    };
    const finish = (): void => {
      input.off('data', onData);
      input.setRawMode(false);
      input.pause();
      process.stderr.write('\n');
    };
    input.on('data', onData);
  });
}
