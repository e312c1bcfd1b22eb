/**
 * classify: is this an initial INVITE we can handle, what are its identities, and which trunk (if
 * any) did it come from. In-dialog requests belong to the call handlers, not here: a To tag means
 * the dialog is unknown to us (RFC 3261 §12.2.2 → 481).
 */
import { parseNameAddr, parseUri, formatUri } from '../../sip';
import type { TrunkMatcher } from '../routing/trunk-matcher';
import type { CallContext } from './context';
import { CONTINUE, type Stage, type StageResult, reject } from './stage';

const SUPPORTED_SCHEMES = new Set(['sip', 'sips', 'tel']);

function addressUri(value: string): { uri: string; tag: string | undefined } | undefined {
  const parsed = parseNameAddr(value.trim());
  return parsed.ok ? { uri: formatUri(parsed.value.uri), tag: parsed.value.tag } : undefined;
}

function classify(ctx: CallContext, matcher: TrunkMatcher): StageResult {
  const { request } = ctx;
  if (request.method !== 'INVITE') return reject(405, 'Method Not Allowed', [['Allow', 'INVITE']]);
  const ruri = parseUri(request.uri);
  if (!ruri.ok) return reject(400, 'Bad Request-URI');
  if (!SUPPORTED_SCHEMES.has(ruri.value.scheme.toLowerCase())) return reject(416, 'Unsupported URI Scheme');
  const from = addressUri(request.from);
  const to = addressUri(request.to);
  if (from === undefined) return reject(400, 'Bad From Header');
  if (to === undefined) return reject(400, 'Bad To Header');
  if (to.tag !== undefined) return reject(481, 'Call/Transaction Does Not Exist');
  const pai = request.headers.getAll('p-asserted-identity').flatMap((entry) => addressUri(entry)?.uri ?? []);
  ctx.identity = { ruri: request.uri, from: from.uri, to: to.uri, pai };
  const match = matcher.match(request.source);
  if (match !== undefined) ctx.sourceTrunk = match.trunk;
  return CONTINUE;
}

export function classifyStage(matcher: TrunkMatcher): Stage {
  return { name: 'classify', run: (ctx) => Promise.resolve(classify(ctx, matcher)) };
}
