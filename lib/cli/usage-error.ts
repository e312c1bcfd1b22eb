import { PalisadeError } from '../util/errors';

/** Bad command line or a missing file: one line on stderr, exit code 2. */
export class UsageError extends PalisadeError {
  constructor(message: string) {
    super('CLI_USAGE', message);
  }
}

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;
