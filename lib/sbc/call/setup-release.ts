/**
 * drachtio-srf keeps, for a dialog's whole life, the request and response that set it up: parsed,
 * with their raw text, and — because V8 substrings point into their parent string — the whole
 * control frame each came in (srf splits frames with `slice`/`split`). The setup listeners srf's
 * createUAC/createB2BUA leave on the request ('cancel', 'update', 'response') hold the setup's
 * closures: options, copied headers, SDP. None of it is needed once the call is established, and
 * it is most of what a held call costs in the app (bench/engine-memory heap snapshots: ≈ 3.4 KB of
 * frames and ≈ 2 KB of closures per B2BUA call).
 *
 * `releaseSetupState` drops it: the setup messages keep only the headers that identify the dialog,
 * copied flat; the strings srf's Dialog keeps (ids, tags, URIs, SDP) are copied flat so the frames
 * can go. Call it once the call no longer reads the setup messages (their bodies and other headers
 * are gone afterwards). SUBSCRIBE dialogs are left alone (srf reads their Event header later).
 */
import type Srf from 'drachtio-srf';
import { OwnStrings } from '../../util/own-string';

/**
 * Headers a released setup message keeps: those RFC 3261 §12.1 builds a dialog from, and what the
 * peer said about the session's timer (RFC 4028) and the methods it allows (call-record.ts).
 */
const KEPT_HEADERS = new Set([
  'call-id',
  'cseq',
  'from',
  'to',
  'contact',
  'record-route',
  'session-expires',
  'allow',
]);
/** Listeners srf attaches to a setup request and never removes; they fire only before the 2xx. */
const SETUP_EVENTS = ['cancel', 'update', 'response'] as const;
/** Own fields of srf's Request/Response that are plain data (the rest link to srf's machinery). */
const MESSAGE_FIELDS = [
  'source',
  'source_address',
  'protocol',
  'stackTime',
  'stackTxnId',
  'stackDialogId',
  'receivedOn',
  'sessionToken',
] as const;

type Fields = Record<string, unknown>;
interface Emitter {
  _events?: unknown;
  removeAllListeners?: (event: string) => unknown;
}
type SetupMessage = Fields & Emitter;
interface DialogInternals extends Emitter {
  id?: unknown;
  srf?: { _dialogs?: unknown };
  req?: unknown;
  res?: unknown;
  sip?: unknown;
  local?: unknown;
  remote?: unknown;
}

const isFields = (v: unknown): v is Fields => typeof v === 'object' && v !== null;

function slimMessage(msg: unknown, flat: OwnStrings): void {
  if (!isFields(msg)) return;
  const kept: Fields = {};
  for (const [name, value] of Object.entries(isFields(msg.headers) ? msg.headers : {})) {
    if (KEPT_HEADERS.has(name.toLowerCase())) kept[name] = flat.of(value);
  }
  msg.headers = kept;
  if ('raw' in msg) msg.raw = undefined;
  if ('payload' in msg) msg.payload = [];
  msg.body = flat.of(msg.body);
  msg.uri = flat.of(msg.uri);
}

/**
 * An EventEmitter's listener table rebuilt as a fast object. Node keeps the table in `_events`, a
 * null-prototype object, which V8 holds in dictionary mode (≈ 200 bytes for one or two events);
 * the same keys added to a plain object, whose prototype is then set to null, stay fast (≈ 40).
 */
function compactListeners(e: Emitter): void {
  const table = e._events;
  if (table === null || typeof table !== 'object') return;
  const fresh: Record<string | symbol, unknown> = {};
  for (const key of Reflect.ownKeys(table)) fresh[key] = (table as Record<string | symbol, unknown>)[key];
  e._events = Object.setPrototypeOf(fresh, null);
}

function releaseMessage(message: unknown, flat: OwnStrings, setup: boolean): void {
  if (!isFields(message)) return;
  const m = message as SetupMessage;
  if (setup) for (const event of SETUP_EVENTS) m.removeAllListeners?.(event);
  compactListeners(m);
  slimMessage(m.msg, flat);
  flat.fields(m, MESSAGE_FIELDS);
  flat.fields(m.server);
}

/** srf's dialog table is keyed by the id as it came in (a slice of its frame): key it by the copy. */
function rekeyDialog(d: DialogInternals, flat: OwnStrings): void {
  const table = d.srf?._dialogs;
  if (!(table instanceof Map) || typeof d.id !== 'string' || table.get(d.id) !== d) return;
  table.delete(d.id); // a set() alone would keep the old key
  table.set(flat.of(d.id), d);
}

/**
 * Drop what srf kept of established dialogs' setup (see the file comment). The dialogs of one
 * call together: the SDP both legs keep is then one copy.
 */
export function releaseSetupState(dialogs: readonly Srf.Dialog[], flat = new OwnStrings()): void {
  for (const dialog of dialogs) {
    const d = dialog as unknown as DialogInternals;
    if (isFields(d.req) && d.req.method === 'SUBSCRIBE') continue;
    // srf's Dialog strings first: the messages' bodies then share their copies
    flat.fields(d.sip);
    flat.fields(d.local);
    flat.fields(d.remote);
    releaseMessage(d.req, flat, true);
    releaseMessage(d.res, flat, false);
    rekeyDialog(d, flat);
    compactListeners(d);
  }
}

/**
 * `releaseSetupState` once the caller's ACK has reached `uas`: srf's own once('ack') listeners are
 * gone then (their removal leaves a slow listener table behind). Call it in the turn srf hands
 * over the dialogs — srf emits 'ack' in a later turn — or the ACK may have gone by unseen.
 */
export function releaseSetupStateAfterAck(uas: Srf.Dialog, ...others: Srf.Dialog[]): void {
  (uas as unknown as { once(event: 'ack', fn: () => void): unknown }).once('ack', () => {
    releaseSetupState([uas, ...others]);
  });
}
