/**
 * Lets a tagged union (`engine.mode`, `state.backend`) omit its tag: an object without one gets the
 * default tag before the union is checked, so `engine: { control: { port: 9023 } }` means embedded.
 */
import { z } from 'zod';

export function withDefaultTag<T extends z.ZodType>(tag: string, value: string, union: T) {
  return z.preprocess((input: unknown) => {
    if (typeof input === 'object' && input !== null && !Array.isArray(input) && !(tag in input)) {
      return { [tag]: value, ...input };
    }
    return input;
  }, union);
}

/** Error for a tagged union: the allowed tags when given a mapping, else the default wording. */
export function tagError(message: string) {
  return (issue: { input?: unknown }) =>
    typeof issue.input === 'object' && issue.input !== null && !Array.isArray(issue.input)
      ? message
      : undefined;
}
