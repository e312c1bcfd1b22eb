/**
 * Short lists kept by many long-lived objects (the timers and listeners of a transaction that
 * waits out its RFC 3261 wait timer). `push` grows an array's backing store to 17 slots (152 B)
 * and spread or `filter` results get as many; these build literals of exact length instead, and
 * share one frozen empty list.
 */
export const EMPTY_LIST: readonly never[] = Object.freeze([]);

/** `list` with `item` at the end: a new array of exact length. */
export function appended<T>(list: readonly T[], item: T): readonly T[] {
  const first = list[0];
  if (first === undefined) return [item];
  const second = list[1];
  if (list.length === 1) return [first, item];
  if (list.length === 2 && second !== undefined) return [first, second, item];
  return Array.from([...list, item]);
}

/** `list` without `item` (every occurrence): a new array of exact length, or `list` itself. */
export function without<T>(list: readonly T[], item: T): readonly T[] {
  if (!list.includes(item)) return list;
  const first = list[0];
  const second = list[1];
  if (list.length === 1) return EMPTY_LIST;
  if (list.length === 2 && first !== undefined && second !== undefined)
    return first === item ? (second === item ? EMPTY_LIST : [second]) : [first];
  return Array.from(list.filter((x) => x !== item));
}
