/** quoted-string with quoted-pair escapes (RFC 3261 §25.1). */
import { syntaxError } from './errors';

/**
 * Read the quoted string that starts at s[i] (which is '"'). Returns the unescaped content and
 * the index just past the closing quote; throws on an unterminated string.
 */
export function readQuoted(s: string, i: number): { text: string; end: number } {
  let text = '';
  let run = i + 1;
  for (let j = i + 1; j < s.length; j++) {
    const c = s.charCodeAt(j);
    if (c === 92) {
      if (j + 1 >= s.length) break;
      text += s.slice(run, j) + s.charAt(j + 1);
      j++;
      run = j + 1;
    } else if (c === 34) {
      return { text: text + s.slice(run, j), end: j + 1 };
    } else if (c === 13 || c === 10) {
      break;
    }
  }
  throw syntaxError('unterminated quoted string');
}

/** Index just past the quoted string starting at s[i], without building its text. */
export function skipQuoted(s: string, i: number): number {
  for (let j = i + 1; j < s.length; j++) {
    const c = s.charCodeAt(j);
    if (c === 92) j++;
    else if (c === 34) return j + 1;
  }
  throw syntaxError('unterminated quoted string');
}

/** Wrap text in a quoted string, escaping '"' and '\' (§25.1 quoted-pair). */
export function quote(text: string): string {
  return '"' + text.replace(/["\\]/g, '\\$&') + '"';
}

/** Remove surrounding quotes (and quoted-pair escapes) from a parameter value, if quoted. */
export function unquote(value: string): string {
  if (value.length >= 2 && value.charCodeAt(0) === 34) {
    try {
      return readQuoted(value, 0).text;
    } catch {
      return value;
    }
  }
  return value;
}
