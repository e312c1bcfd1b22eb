/**
 * RFC 4475 / RFC 5118 torture messages: one test per manifest entry (see the corpus README).
 * Valid messages must parse, validate, round-trip byte-identically and yield the manifest's
 * extract values; invalid ones must be rejected with an allowed status (responses: dropped);
 * parse-and-respond ones must lead checkRequest to an allowed status.
 */
import { strict as assert } from 'node:assert';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import {
  type SipParseError,
  type SipRequest,
  type SipResponse,
  checkRequest,
  errorResponse,
  parseMessage,
  validateMessage,
} from '../../lib/sip';
import { type TortureEntry, loadManifest, readEntry, readFile, tortureDir, wireFileOf } from './corpus';
import { checkExtract } from './torture-extract';
import { checkRejectExtract } from './torture-reject';

const POLICY = { forwards: true, registrar: true } as const;

function outcome(bytes: Buffer): { msg?: SipRequest | SipResponse; error?: SipParseError } {
  const r = parseMessage(bytes, { datagram: true });
  if (!r.ok) return { error: r.error };
  const bad = validateMessage(r.value);
  return bad === undefined ? { msg: r.value } : { msg: r.value, error: bad };
}

function runEntry(entry: TortureEntry): void {
  const archive = readEntry(entry);
  const wire = wireFileOf(entry);
  const bytes = wire === undefined ? archive : readFile(wire);
  // archive-form lengths describe the LF bytes; the wire copy has its own (checked by its entry)
  const skip = wire === undefined ? [] : ['content_length', 'body_length', 'raw_nul_bytes_in_file'];
  const { msg, error } = outcome(bytes);
  const codes = [entry.response_code, ...entry.alt_response_codes];
  const extract = entry.extract ?? {};

  if (entry.expect === 'reject') {
    if (error === undefined) {
      assert.ok(entry.lenient_accept_allowed, 'invalid message was accepted');
      return;
    }
    checkRejectExtract(bytes, error.info, extract);
    if (entry.message_type === 'response') {
      assert.equal(error.kind, 'response');
      assert.equal(error.sipStatus, undefined, 'invalid responses are dropped, never answered');
      return;
    }
    assert.ok(codes.includes(error.sipStatus ?? -1), `status ${error.sipStatus} not in ${codes.join('/')}`);
    const reply = errorResponse(error);
    if (error.info !== undefined && error.info.vias.length > 0) {
      assert.ok(reply !== undefined);
      const parsed = parseMessage(reply, { datagram: true });
      assert.ok(parsed.ok && parsed.value.kind === 'response' && parsed.value.status === error.sipStatus);
      assert.equal(parsed.value.header('call-id'), error.info.callId);
    }
    return;
  }
  assert.equal(error, undefined, `rejected: ${error?.code ?? ''} ${error?.message ?? ''}`);
  assert.ok(msg !== undefined);
  assert.equal(msg.kind, entry.message_type);
  const expectedWire = extract.trailing_bytes_ignored === undefined ? bytes : msg.toBuffer();
  assert.ok(msg.toBuffer().equals(expectedWire), 'unmodified message must serialize byte-identically');
  checkExtract({ msg, info: undefined, bytes: archive }, extract, skip);
  if (entry.expect === 'parse-and-respond') {
    assert.equal(msg.kind, 'request');
    const status = checkRequest(msg, POLICY)?.status ?? 200;
    assert.ok(codes.includes(status), `checkRequest gave ${status}, expected ${codes.join('/')}`);
  }
}

describe('SIP torture tests (RFC 4475, RFC 5118)', () => {
  it('finds the shared corpus beside the repository', () => {
    assert.ok(existsSync(path.join(tortureDir(), 'manifest.json')), `missing ${tortureDir()}`);
  });
  let manifest: TortureEntry[] = [];
  try {
    manifest = loadManifest();
  } catch (e) {
    it('loads the manifest', () => {
      throw e;
    });
  }
  for (const entry of manifest) {
    const via = wireFileOf(entry) === undefined ? '' : ' (via wire/ copy)';
    it(`${entry.id} [${entry.category}] ${entry.expect}${entry.response_code === null ? '' : ` ${entry.response_code}`}${via}`, () => {
      runEntry(entry);
    });
  }
});
