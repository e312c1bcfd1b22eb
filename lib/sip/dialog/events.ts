/**
 * Events and effects of the dialog state machine (transition.ts). Events are plain data so that
 * transition tables read as data; the builders below extract them from parsed messages.
 */
import type { SipRequest, SipResponse } from '../index';
import { contactUri, recordRoutes } from './message-fields';
import type { Dialog, TerminationReason } from './types';

/** received: from the peer; sent: by this side. */
export type Direction = 'received' | 'sent';

export type DialogEvent =
  /** A response to a request within (or creating) the dialog. */
  | {
      readonly kind: 'response';
      readonly direction: Direction;
      readonly status: number;
      /** CSeq method of the request answered */
      readonly method: string;
      /**
       * The peer's Contact URI that goes with this exchange: the response's Contact when the
       * response was received, the answered request's Contact when this side sent the response.
       */
      readonly peerContact?: string;
      /**
       * Record-Route values of a received response, as received ([] when it has none); a 2xx
       * confirming a UAC early dialog recomputes the route set from them (§13.2.2.4)
       */
      readonly recordRoute?: readonly string[];
    }
  /** A request within the dialog, passed CSeq checks (remote-cseq.ts). */
  | { readonly kind: 'request'; readonly direction: Direction; readonly method: string }
  /** The owner ends the dialog without a message (expiry, losing fork, shutdown). */
  | { readonly kind: 'terminate'; readonly reason: TerminationReason };

export type DialogEffect =
  | { readonly kind: 'confirmed' }
  | { readonly kind: 'remote-target-changed'; readonly remoteTarget: string }
  | { readonly kind: 'route-set-changed'; readonly routeSet: readonly string[] }
  | { readonly kind: 'terminated'; readonly reason: TerminationReason };

export interface DialogStep {
  readonly dialog: Dialog;
  readonly effects: readonly DialogEffect[];
}

/** A response the peer sent us, to a request this side sent in (or to create) the dialog. */
export function responseReceived(response: SipResponse): DialogEvent {
  return {
    kind: 'response',
    direction: 'received',
    status: response.status,
    method: response.cseq().method,
    recordRoute: recordRoutes(response),
    ...withContact(contactUri(response)), // last: a property after a spread costs a hidden class per object (V8 11)
  };
}

/** A response this side sends to `request`, which the peer sent in (or to create) the dialog. */
export function responseSent(request: SipRequest, status: number): DialogEvent {
  return {
    kind: 'response',
    direction: 'sent',
    status,
    method: request.method,
    ...withContact(contactUri(request)),
  };
}

export function requestReceived(request: SipRequest): DialogEvent {
  return { kind: 'request', direction: 'received', method: request.method };
}

export function requestSent(method: string): DialogEvent {
  return { kind: 'request', direction: 'sent', method };
}

function withContact(peerContact: string | undefined): { peerContact?: string } {
  return peerContact === undefined ? {} : { peerContact };
}
