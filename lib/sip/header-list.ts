/**
 * The header section as parsed: one entry per header field (folded continuation lines belong to
 * their field, RFC 3261 §7.3.1) pointing at its raw bytes. Values are unfolded and decoded only
 * when read. Edits replace entries with rendered ones; untouched entries keep their exact bytes.
 */
import { headerKey, isListHeader } from './header-names';
import { latin1ToUtf8 } from './escape';
import { splitList } from './split-list';
import { trimWs } from './chars';

/**
 * Replaces each fold (optional WSP, CRLF, WSP) with one space. A linear scan from each line
 * break: the regex /[ \t]*\r?\n[ \t]+/ backtracks quadratically over long runs of blanks.
 */
function unfold(raw: string): string {
  let out = '';
  let from = 0;
  for (let nl = raw.indexOf('\n'); nl !== -1; nl = raw.indexOf('\n', nl + 1)) {
    let before = nl;
    if (before > from && raw.charCodeAt(before - 1) === 13) before--;
    while (before > from && isBlank(raw.charCodeAt(before - 1))) before--;
    let after = nl + 1;
    while (after < raw.length && isBlank(raw.charCodeAt(after))) after++;
    if (after === nl + 1) continue; // not a fold: keep the bare line break as it is
    out += raw.slice(from, before) + ' ';
    from = after;
    nl = after - 1;
  }
  return out + raw.slice(from);
}

function isBlank(c: number): boolean {
  return c === 32 || c === 9;
}

export class HeaderEntry {
  /** decoded, unfolded, trimmed value (lazily filled for raw entries) */
  value: string | undefined;

  constructor(
    readonly key: string,
    /** the name as written (e.g. "v", "VIA", "Via") */
    readonly name: string,
    /** offset of the field's first byte in the header string, -1 for rendered entries */
    readonly start: number,
    /** offset just past the field's last line terminator */
    public end: number,
    /** offset just past the ":" */
    readonly valueStart: number,
    public folded: boolean,
  ) {}

  static rendered(name: string, value: string): HeaderEntry {
    const e = new HeaderEntry(headerKey(name), name, -1, -1, -1, false);
    e.value = value;
    return e;
  }
}

export class HeaderList {
  /** true once any entry was added, removed or replaced */
  dirty = false;

  constructor(
    private readonly head: string,
    readonly entries: HeaderEntry[],
  ) {}

  valueOf(e: HeaderEntry): string {
    if (e.value !== undefined) return e.value;
    let stop = e.end - 1; // the '\n'
    if (stop > e.valueStart && this.head.charCodeAt(stop - 1) === 13) stop--;
    let raw = this.head.slice(e.valueStart, stop);
    if (e.folded) raw = unfold(raw);
    e.value = latin1ToUtf8(trimWs(raw));
    return e.value;
  }

  first(key: string): HeaderEntry | undefined {
    for (const e of this.entries) if (e.key === key) return e;
    return undefined;
  }

  count(key: string): number {
    let n = 0;
    for (const e of this.entries) if (e.key === key) n++;
    return n;
  }

  /** Field values, one per header line (not split on commas). */
  lines(key: string): string[] {
    const out: string[] = [];
    for (const e of this.entries) if (e.key === key) out.push(this.valueOf(e));
    return out;
  }

  /** All values; comma lists are split for headers whose grammar is a list (§7.3.1). */
  values(key: string): string[] {
    if (!isListHeader(key)) return this.lines(key);
    const out: string[] = [];
    for (const e of this.entries) {
      if (e.key !== key) continue;
      for (const v of splitList(this.valueOf(e))) if (v.length > 0) out.push(v);
    }
    return out;
  }

  /** Replace every field of that name by one rendered field (placed where the first one was). */
  set(name: string, values: readonly string[]): void {
    const key = headerKey(name);
    const at = this.entries.findIndex((e) => e.key === key);
    this.remove(key);
    const fresh = values.map((v) => HeaderEntry.rendered(name, v));
    this.entries.splice(at < 0 ? this.entries.length : at, 0, ...fresh);
    this.dirty = true;
  }

  /** Add fields after the last field of that name (or at the end). */
  append(name: string, values: readonly string[]): void {
    const key = headerKey(name);
    let at = this.entries.length;
    for (let i = this.entries.length - 1; i >= 0; i--) {
      if (this.entries[i]?.key === key) {
        at = i + 1;
        break;
      }
    }
    this.entries.splice(at, 0, ...values.map((v) => HeaderEntry.rendered(name, v)));
    this.dirty = true;
  }

  /** Add fields before the first field of that name (or right after the start line). */
  prepend(name: string, values: readonly string[]): void {
    const key = headerKey(name);
    const at = Math.max(
      0,
      this.entries.findIndex((e) => e.key === key),
    );
    this.entries.splice(at, 0, ...values.map((v) => HeaderEntry.rendered(name, v)));
    this.dirty = true;
  }

  remove(key: string): number {
    let removed = 0;
    for (let i = this.entries.length - 1; i >= 0; i--) {
      if (this.entries[i]?.key === key) {
        this.entries.splice(i, 1);
        removed++;
      }
    }
    if (removed > 0) this.dirty = true;
    return removed;
  }
}
