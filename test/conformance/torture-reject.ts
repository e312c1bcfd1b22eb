/**
 * Checks the `extract` values of rejected torture messages straight from the raw bytes (the
 * parser refused the message, so there is no message object to ask): raw header texts, numbers
 * kept as text, duplicated / missing headers, request line.
 */
import { strict as assert } from 'node:assert';
import type { StatelessInfo } from '../../lib/sip';

/** Unfolded raw header lines of a message (test-only, deliberately naive). */
function rawFields(bytes: Buffer): { startLine: string; fields: [string, string][] } {
  const text = bytes.toString('utf8');
  const end = text.search(/\r?\n\r?\n/);
  const lines = (end < 0 ? text : text.slice(0, end)).replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/);
  const fields: [string, string][] = [];
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    if (colon > 0) fields.push([line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim()]);
  }
  return { startLine: lines[0] ?? '', fields };
}

const ALIASES: Record<string, string[]> = {
  'call-id': ['call-id', 'i'],
  cseq: ['cseq'],
  'max-forwards': ['max-forwards'],
  'content-length': ['content-length', 'l'],
  contact: ['contact', 'm'],
  to: ['to', 't'],
  from: ['from', 'f'],
  via: ['via', 'v'],
};

export function checkRejectExtract(
  bytes: Buffer,
  info: StatelessInfo | undefined,
  extract: Record<string, unknown>,
): string[] {
  const { startLine, fields } = rawFields(bytes);
  const all = (name: string) => {
    const names = ALIASES[name] ?? [name];
    return fields.filter(([n]) => names.includes(n)).map(([, v]) => v);
  };
  const one = (name: string) => all(name)[0];
  const sl = startLine.split(' ');
  const done: string[] = [];
  const check: Record<string, (v: unknown) => void> = {
    request_line: (v) => {
      assert.equal(startLine, v);
    },
    sip_version: (v) => {
      assert.equal(sl[2], v);
    },
    method: (v) => {
      assert.equal(sl[0], v);
    },
    request_uri: (v) => {
      assert.equal(sl[1], v);
    },
    status_code_text: (v) => {
      assert.equal(sl[1], v);
    },
    status_code: (v) => {
      assert.equal(Number(sl[1]), v);
    },
    reason_phrase: (v) => {
      assert.equal(sl.slice(2).join(' '), v);
    },
    call_id: (v) => {
      assert.equal(one('call-id'), v);
      if (info !== undefined) assert.equal(info.callId, v, 'Call-ID recovered for the stateless response');
    },
    call_ids: (v) => {
      assert.deepEqual(all('call-id'), v);
    },
    cseq_number: (v) => {
      assert.equal(Number(one('cseq')?.split(/\s+/)[0]), v);
    },
    cseq_number_text: (v) => {
      assert.equal(one('cseq')?.split(/\s+/)[0], v);
    },
    cseq_numbers: (v) => {
      assert.deepEqual(
        all('cseq').map((x) => Number(x.split(/\s+/)[0])),
        v,
      );
    },
    cseq_method: (v) => {
      assert.equal(one('cseq')?.split(/\s+/)[1], v);
    },
    max_forwards_text: (v) => {
      assert.equal(one('max-forwards'), v);
    },
    max_forwards_values: (v) => {
      assert.deepEqual(all('max-forwards').map(Number), v);
    },
    content_length: (v) => {
      assert.equal(Number(one('content-length')), v);
    },
    content_length_text: (v) => {
      assert.equal(one('content-length'), v);
    },
    content_length_values: (v) => {
      assert.deepEqual(all('content-length').map(Number), v);
    },
    body_length: (v) => {
      const sep = bytes.indexOf('\r\n\r\n');
      assert.equal(bytes.length - sep - 4, v);
    },
    expires_text: (v) => {
      assert.equal(one('expires'), v);
    },
    contact_expires_text: (v) => {
      assert.match(one('contact') ?? '', new RegExp(`expires=${String(v)}`));
    },
    retry_after_text: (v) => {
      assert.equal(one('retry-after'), v);
    },
    warning: (v) => {
      assert.equal(one('warning'), v);
    },
    date: (v) => {
      assert.equal(one('date'), v);
    },
    contact_raw: (v) => {
      assert.equal(one('contact'), v);
    },
    to_raw: (v) => {
      assert.equal(one('to'), v);
    },
    from_raw: (v) => {
      assert.equal(one('from'), v);
    },
    via_count: (v) => {
      assert.equal(all('via').length, v);
    },
    missing_headers: (v) => {
      for (const h of v as string[]) assert.equal(all(h.toLowerCase()).length, 0, h);
    },
    duplicated_single_value_headers: (v) => {
      for (const h of v as string[]) assert.ok(all(h.toLowerCase()).length > 1, h);
    },
  };
  for (const [key, value] of Object.entries(extract)) {
    const c = check[key];
    if (c === undefined) continue;
    c(value);
    done.push(key);
  }
  return done;
}
