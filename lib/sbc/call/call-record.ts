/**
 * The StateStore record of an established call: both legs' dialog identifiers, route sets, CSeqs,
 * remote targets and SDP versions, the rtpengine anchoring its media, and the owner instance —
 * what another instance needs to carry the call on.
 */
import type Srf from 'drachtio-srf';
import type { CallLeg, CallRecord, CallState } from '../../state/call-record';
import { sdpVersion } from './sdp-version';

interface DialogView {
  sip: { callId: string; localTag: string; remoteTag: string };
  local: { sdp: string };
  remote: { sdp: string; uri: string };
}

function leg(dialog: Srf.Dialog): CallLeg {
  const d = dialog as unknown as DialogView;
  const local = sdpVersion(d.local.sdp);
  const remote = sdpVersion(d.remote.sdp);
  return {
    dialog: { callId: d.sip.callId, localTag: d.sip.localTag, remoteTag: d.sip.remoteTag },
    routeSet: [],
    remoteTarget: d.remote.uri,
    ...(local === undefined ? {} : { localSdpVersion: local }),
    ...(remote === undefined ? {} : { remoteSdpVersion: remote }),
  };
}

export function callRecord(o: {
  id: string;
  owner: string;
  state: CallState;
  trunkIn: string | undefined;
  trunkOut: string | undefined;
  a: Srf.Dialog;
  b: Srf.Dialog;
  media: { callId: string; engine: string } | undefined;
  createdAt: number;
  answeredAt: number;
}): CallRecord {
  return {
    id: o.id,
    owner: o.owner,
    state: o.state,
    ...(o.trunkIn === undefined ? {} : { trunkIn: o.trunkIn }),
    ...(o.trunkOut === undefined ? {} : { trunkOut: o.trunkOut }),
    inbound: leg(o.a),
    outbound: leg(o.b),
    ...(o.media === undefined
      ? {}
      : { media: { rtpengineCallId: o.media.callId, rtpengine: o.media.engine } }),
    createdAt: o.createdAt,
    answeredAt: o.answeredAt,
  };
}
