/**
 * Split a header value on the commas that separate list elements (RFC 3261 §7.3.1): commas
 * inside quoted strings (with quoted-pair escapes) and inside <...> do not count. Elements are
 * trimmed; empty elements are kept so that strict grammars (Via, Contact) can reject them.
 */
export function splitList(value: string): string[] {
  if (!value.includes(',')) return [trimOuter(value)];
  const out: string[] = [];
  let start = 0;
  let inQuote = false;
  let inAngle = false;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (inQuote) {
      if (c === 92) i++;
      else if (c === 34) inQuote = false;
    } else if (c === 34) inQuote = true;
    else if (c === 60) inAngle = true;
    else if (c === 62) inAngle = false;
    else if (c === 44 && !inAngle) {
      out.push(trimOuter(value.slice(start, i)));
      start = i + 1;
    }
  }
  out.push(trimOuter(value.slice(start)));
  return out;
}

function trimOuter(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && (s.charCodeAt(a) === 32 || s.charCodeAt(a) === 9)) a++;
  while (b > a && (s.charCodeAt(b - 1) === 32 || s.charCodeAt(b - 1) === 9)) b--;
  return s.slice(a, b);
}
