/**
 * Checks the `extract` values of a torture manifest entry against a parsed message. Every key
 * has a handler; keys that describe raw bytes that only exist in a rejected message are checked
 * against the recovered stateless-response pieces or skipped when no message exists.
 */
import { strict as assert } from 'node:assert';
import {
  type NameAddr,
  type SipRequest,
  type SipResponse,
  type StatelessInfo,
  type Uri,
  formatUri,
  unescape,
  unquote,
} from '../../lib/sip';

type Msg = SipRequest | SipResponse;
export interface Ctx {
  msg: Msg | undefined;
  info: StatelessInfo | undefined;
  bytes: Buffer;
}
type Handler = (ctx: Ctx & { msg: Msg }, v: unknown) => void;

const opt = <T>(v: T | undefined): T | null => (v === undefined ? null : v);
const req = (m: Msg): SipRequest => {
  assert.equal(m.kind, 'request');
  return m;
};
const sipUri = (u: Uri) => {
  assert.equal(u.kind, 'sip', `expected a SIP URI, got ${formatUri(u)}`);
  return u;
};
const contacts = (m: Msg): NameAddr[] => {
  const c = m.contact();
  assert.notEqual(c, '*');
  return c as NameAddr[];
};
const first = <T>(a: T[]): T => {
  assert.ok(a.length > 0, 'no values');
  return a[0]!;
};
const paramsObj = (p: ReadonlyMap<string, string | null>, unesc = false) =>
  Object.fromEntries(
    [...p].map(([k, v]) => [unesc ? unescape(k) : k, v === null ? null : unesc ? unescape(v) : v]),
  );
const lowerKeys = (o: unknown) =>
  Object.fromEntries(Object.entries(o as Record<string, unknown>).map(([k, v]) => [k.toLowerCase(), v]));
const count = (b: Buffer, byte: number) => b.reduce((n, x) => (x === byte ? n + 1 : n), 0);
const bareLf = (b: Buffer) => b.reduce((n, x, i) => (x === 10 && b[i - 1] !== 13 ? n + 1 : n), 0);
const viaFields = (m: Msg, i: number, want: Record<string, unknown>) => {
  const v = m.via()[i]!;
  const got: Record<string, unknown> = { transport: v.transport, host: v.host, port: opt(v.port) };
  got.branch = opt(v.branch);
  got.received = opt(v.received);
  for (const k of Object.keys(want)) assert.deepEqual(got[k], want[k], `via[${i}].${k}`);
};

const H: Record<string, Handler> = {
  method: (c, v) => {
    assert.equal(req(c.msg).method, v);
  },
  request_uri: (c, v) => {
    assert.equal(req(c.msg).uri, v);
  },
  request_uri_scheme: (c, v) => {
    assert.equal(req(c.msg).requestUri().scheme, v);
  },
  request_uri_host: (c, v) => {
    assert.equal(sipUri(req(c.msg).requestUri()).host, v);
  },
  request_uri_port: (c, v) => {
    assert.equal(opt(sipUri(req(c.msg).requestUri()).port), v);
  },
  request_uri_params: (c, v) => {
    assert.deepEqual(paramsObj(sipUri(req(c.msg).requestUri()).params), v);
  },
  request_uri_user_unescaped: (c, v) => {
    assert.equal(unescape(sipUri(req(c.msg).requestUri()).user ?? ''), v);
  },
  status_code: (c, v) => {
    assert.equal((c.msg as SipResponse).status, v);
  },
  reason_phrase: (c, v) => {
    assert.equal((c.msg as SipResponse).reason, v);
  },
  call_id: (c, v) => {
    assert.equal(c.msg.callId(), v);
  },
  cseq_number: (c, v) => {
    assert.equal(c.msg.cseq().seq, v);
  },
  cseq_method: (c, v) => {
    assert.equal(c.msg.cseq().method, v);
  },
  max_forwards: (c, v) => {
    assert.equal(opt(c.msg.maxForwards()), v);
  },
  via_count: (c, v) => {
    assert.equal(c.msg.via().length, v);
  },
  via: (c, v) => {
    (v as Record<string, unknown>[]).forEach((w, i) => {
      viaFields(c.msg, i, w);
    });
  },
  via_last: (c, v) => {
    viaFields(c.msg, c.msg.via().length - 1, v as Record<string, unknown>);
  },
  via_branch: (c, v) => {
    assert.equal(opt(first(c.msg.via()).branch), v);
  },
  via_host: (c, v) => {
    assert.equal(first(c.msg.via()).host, v);
  },
  via_first_host: (c, v) => {
    assert.equal(first(c.msg.via()).host, v);
  },
  via_received: (c, v) => {
    assert.equal(first(c.msg.via()).received, v);
  },
  via_transport: (c, v) => {
    assert.equal(first(c.msg.via()).transport, v);
  },
  via_transports: (c, v) => {
    assert.deepEqual(
      c.msg.via().map((x) => x.transport),
      v,
    );
  },
  via_hosts: (c, v) => {
    assert.deepEqual(
      c.msg.via().map((x) => x.host),
      v,
    );
  },
  to_uri: (c, v) => {
    assert.equal(formatUri(c.msg.to().uri), v);
  },
  to_uri_host: (c, v) => {
    assert.equal(sipUri(c.msg.to().uri).host, v);
  },
  to_uri_port: (c, v) => {
    assert.equal(sipUri(c.msg.to().uri).port, v);
  },
  to_user_unescaped: (c, v) => {
    assert.equal(unescape(sipUri(c.msg.to().uri).user ?? ''), v);
  },
  to_tag: (c, v) => {
    assert.equal(opt(c.msg.to().tag), v);
  },
  to_display_name: (c, v) => {
    assert.equal(c.msg.to().displayName, v);
  },
  from_uri: (c, v) => {
    assert.equal(formatUri(c.msg.from().uri), v);
  },
  from_user_unescaped: (c, v) => {
    assert.equal(unescape(sipUri(c.msg.from().uri).user ?? ''), v);
  },
  from_tag: (c, v) => {
    assert.equal(opt(c.msg.from().tag), v);
  },
  from_tag_length: (c, v) => {
    assert.equal(c.msg.from().tag?.length, v);
  },
  from_display_name: (c, v) => {
    assert.equal(c.msg.from().displayName, v);
  },
  from_params_unquoted: (c, v) => {
    for (const [k, want] of Object.entries(lowerKeys(v))) {
      assert.equal(unquote(c.msg.from().params.get(k) ?? ''), want, `From param ${k}`);
    }
  },
  contact_count: (c, v) => {
    assert.equal(contacts(c.msg).length, v);
  },
  contact_uri: (c, v) => {
    assert.equal(formatUri(first(contacts(c.msg)).uri), v);
  },
  contact_uris: (c, v) => {
    assert.deepEqual(
      contacts(c.msg).map((x) => formatUri(x.uri)),
      v,
    );
  },
  contact_display_name: (c, v) => {
    assert.equal(first(contacts(c.msg)).displayName, v);
  },
  contact_params: (c, v) => {
    assert.deepEqual(paramsObj(first(contacts(c.msg)).params), lowerKeys(v));
  },
  contact_uri_params: (c, v) => {
    assert.deepEqual(paramsObj(sipUri(first(contacts(c.msg)).uri).params), v);
  },
  contact_uri_params_unescaped: (c, v) => {
    assert.deepEqual(paramsObj(sipUri(first(contacts(c.msg)).uri).params, true), v);
  },
  contact_uri_headers_unescaped: (c, v) => {
    const h = sipUri(first(contacts(c.msg)).uri).headers;
    assert.deepEqual(Object.fromEntries([...h].map(([k, x]) => [k, unescape(x)])), v);
  },
  contact_user_unescaped: (c, v) => {
    assert.equal(unescape(sipUri(first(contacts(c.msg)).uri).user ?? ''), v);
  },
  contact_users_unescaped: (c, v) => {
    assert.deepEqual(
      contacts(c.msg).map((x) => unescape(sipUri(x.uri).user ?? '')),
      v,
    );
  },
  route: (c, v) => {
    assert.deepEqual(c.msg.headers('route'), v);
  },
  unknown_headers: (c, v) => {
    for (const [k, want] of Object.entries(v as Record<string, string>))
      assert.equal(c.msg.header(k), want, k);
  },
  extension_header_name: (c, v) => {
    assert.ok(c.msg.hasHeader(v as string));
  },
  extension_header_value: (c, v) => {
    assert.ok(c.msg.headerFields().some(([, x]) => x === v));
  },
  subject: (c, v) => {
    assert.equal(c.msg.header('subject'), v);
  },
  content_type: (c, v) => {
    assert.equal(c.msg.header('content-type'), v);
  },
  content_length: (c, v) => {
    assert.equal(opt(c.msg.contentLength), v);
  },
  body_length: (c, v) => {
    assert.equal(c.msg.body.length, v);
  },
  accept: (c, v) => {
    assert.deepEqual(c.msg.headers('accept'), v);
  },
  require: (c, v) => {
    assert.deepEqual(c.msg.headers('require'), v);
  },
  proxy_require: (c, v) => {
    assert.deepEqual(c.msg.headers('proxy-require'), v);
  },
  authorization: (c, v) => {
    assert.equal(c.msg.header('authorization'), v);
  },
  authorization_scheme: (c, v) => {
    assert.equal(c.msg.header('authorization')?.split(' ')[0], v);
  },
  date: (c, v) => {
    assert.equal(c.msg.header('date'), v);
  },
  trailing_bytes_ignored: (c, v) => {
    assert.equal(c.bytes.length - c.msg.toBuffer().length, v);
  },
  multipart_boundary: (c, v) => {
    assert.match(c.msg.header('content-type') ?? '', new RegExp(`boundary=${String(v)}`));
  },
  multipart_parts: (c, v) => {
    const body = c.msg.body.toString('latin1');
    for (const p of v as { content_type: string; content?: string }[]) {
      assert.ok(body.includes(`Content-Type: ${p.content_type}`), p.content_type);
      if (p.content !== undefined) assert.ok(body.includes(p.content));
    }
  },
  body_nul_bytes: (c, v) => {
    assert.equal(count(c.msg.body, 0), v);
  },
  body_bare_lf_bytes: (c, v) => {
    assert.equal(bareLf(c.msg.body), v);
  },
  sdp_connection: (c, v) => {
    assert.ok(c.msg.body.toString('latin1').includes(`c=${String(v)}`));
  },
  sdp_media_connections: (c, v) => {
    for (const x of v as string[]) assert.ok(c.msg.body.toString('latin1').includes(`c=${x}`));
  },
};

/** Keys describing the archive bytes or a defect (checked by the reject path), not a parse result. */
const RAW_ONLY = new Set(['raw_nul_bytes_in_file', 'content_length_in_archive']);

/** Check what can be checked; returns the keys that were verified. */
export function checkExtract(
  ctx: Ctx,
  extract: Record<string, unknown>,
  skip: readonly string[] = [],
): string[] {
  const done: string[] = [];
  for (const [key, value] of Object.entries(extract)) {
    if (skip.includes(key)) continue;
    if (key === 'raw_nul_bytes_in_file') {
      assert.equal(count(ctx.bytes, 0), value);
      done.push(key);
      continue;
    }
    if (key === 'call_id' && ctx.msg === undefined && ctx.info !== undefined) {
      assert.equal(ctx.info.callId, value, 'Call-ID recovered from the rejected request');
      done.push(key);
      continue;
    }
    const h = H[key];
    if (h === undefined || ctx.msg === undefined || RAW_ONLY.has(key)) continue;
    h({ ...ctx, msg: ctx.msg }, value);
    done.push(key);
  }
  return done;
}

export const handledKeys = (): string[] => Object.keys(H);
