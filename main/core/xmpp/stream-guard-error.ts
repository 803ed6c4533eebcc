/** An error from the incoming stream; `code` is an ErrorCode. */
export class StreamGuardError extends Error {
  constructor(
    readonly code: 'bad-format' | 'stanza-too-large',
    message: string,
  ) {
    super(message);
    this.name = 'StreamGuardError';
  }
}
