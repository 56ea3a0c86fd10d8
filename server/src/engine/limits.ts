/**
 * Bounds on what the engine reads (RULES.md: bad input gets a clear message, never a crash or a
 * hang). A reader that meets input past a bound throws InputLimitError; the engine reports the
 * file once as file-skipped with the reason, and never as an internal error.
 */

/** Command substitutions, process substitutions and `sh -c` scripts nested inside one another. */
export const MAX_SHELL_NESTING = 32;

/** Characters an ARG or ENV value may reach once the variables in it are substituted. */
export const MAX_EXPANDED_VALUE = 64 * 1024;

export class InputLimitError extends Error {
  /**
   * `what` says which bound the input passes, as a sentence start (`A RUN instruction nests …`);
   * `offset` (into the analysed text) is where, when known.
   */
  constructor(
    readonly what: string,
    readonly offset?: number,
  ) {
    super(what);
    this.name = 'InputLimitError';
  }
}

/**
 * Input past a bound: an InputLimitError, or the call stack running out in a reader that has no
 * bound of its own (the last line of defence; every reader we know of is bounded explicitly).
 */
export function isInputLimit(cause: unknown): boolean {
  return cause instanceof InputLimitError || (cause instanceof RangeError && /Maximum call stack size exceeded/.test(cause.message));
}
