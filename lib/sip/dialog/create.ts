/**
 * Creating a dialog from a dialog-creating request and a non-failure response (RFC 3261 §12.1):
 * a 101–199 response with a To tag creates an early dialog, a 2xx a confirmed one.
 *
 * UAS (§12.1.1): route set = request Record-Route in order; remote target = request Contact;
 * remote seq = request CSeq; local seq empty; local tag = response To tag; remote tag = From tag.
 * UAC (§12.1.2): route set = response Record-Route reversed; remote target = response Contact;
 * local seq = request CSeq; remote seq empty; local tag = From tag; remote tag = response To tag.
 */
import type { SipRequest, SipResponse } from '../index';
import { DialogError } from './errors';
import { contactUri, isSecure, recordRoutes, requireContact, withoutTag } from './message-fields';
import type { Dialog, DialogState } from './types';

export interface CreateOptions {
  /**
   * Whether the request travelled over TLS (the secure flag needs it as well as a sips
   * Request-URI). Defaults to true: a sips Request-URI must only be sent over TLS (§26.2.2).
   */
  readonly overTls?: boolean;
}

function stateFor(request: SipRequest, response: SipResponse): DialogState {
  if (response.cseq().method !== request.method || response.callId() !== request.callId()) {
    throw new DialogError('DIALOG_NOT_CREATING', 'response does not answer that request');
  }
  if (response.status > 100 && response.status < 200) return 'early';
  if (response.status >= 200 && response.status < 300) return 'confirmed';
  throw new DialogError('DIALOG_NOT_CREATING', `a ${response.status} response creates no dialog (§12.1)`);
}

function requireTag(tag: string | undefined, what: string): string {
  if (tag === undefined || tag === '') {
    throw new DialogError('DIALOG_MISSING_TAG', `${what} has no tag (RFC 3261 §12.1)`);
  }
  return tag;
}

/** §12.1.1: the dialog state of the UAS that sends `response` to `request`. */
export function dialogFromUasResponse(
  request: SipRequest,
  response: SipResponse,
  opts: CreateOptions = {},
): Dialog {
  const state = stateFor(request, response);
  const from = request.from();
  return {
    id: {
      callId: request.callId(),
      localTag: requireTag(response.to().tag, 'the response To'),
      remoteTag: from.tag ?? '',
    },
    role: 'uas',
    state,
    localSeq: undefined,
    remoteSeq: request.cseq().seq,
    inviteSeq: undefined,
    localUri: withoutTag(request.to()),
    remoteUri: withoutTag(from),
    remoteTarget: requireContact(request, `${request.method} request`, 400),
    routeSet: recordRoutes(request),
    localContact: contactUri(response),
    secure: isSecure(request, opts.overTls ?? true),
    terminationReason: undefined,
  };
}

/** §12.1.2: the dialog state of the UAC that sent `request` and received `response`. */
export function dialogFromUacResponse(
  request: SipRequest,
  response: SipResponse,
  opts: CreateOptions = {},
): Dialog {
  const state = stateFor(request, response);
  const from = request.from();
  const toTag = response.to().tag;
  const seq = request.cseq().seq;
  return {
    id: {
      callId: request.callId(),
      localTag: requireTag(from.tag, 'our request From'),
      // a 2xx from an RFC 2543 UAS may lack the tag (§12.1.2: remote tag null); a 1xx may not
      remoteTag: state === 'early' ? requireTag(toTag, 'the 1xx To') : (toTag ?? ''),
    },
    role: 'uac',
    state,
    localSeq: seq,
    remoteSeq: undefined,
    inviteSeq: request.method === 'INVITE' ? seq : undefined,
    localUri: withoutTag(from),
    remoteUri: withoutTag(response.to()),
    remoteTarget: requireContact(response, `${response.status} response`),
    routeSet: recordRoutes(response).reverse(),
    localContact: contactUri(request),
    secure: isSecure(request, opts.overTls ?? true),
    terminationReason: undefined,
  };
}
