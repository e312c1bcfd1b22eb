/**
 * Mid-call takeover from config (issue 8 §4, docs/adr/0007-mid-call-takeover.md): the claims the
 * B2BUA rebuilds taken-over calls from, and the embedded engine's recovery port, which turns a
 * claimed call record into the RFC 3261 §12 dialogs the engine adopts. With an external engine
 * (drachtio-server) dialogs cannot be adopted: takeover is off, with a warning.
 */
import type { Config, TrunkConfig } from '../config';
import { isSipTransportName } from '../sip/transport-names';
import type { DialogRecovery, RecoveredDialog } from '../engine/core/dialog-recovery';
import { allowsUpdate } from '../engine/session-timer/refresh-method';
import { parseSessionExpires, weRefreshAfter } from '../engine/session-timer/session-timer-state';
import type { CallLeg, CallRecord } from '../state/call-record';
import type { StateStore } from '../state/state-store';
import type { EngineLink } from '../sbc/engine-link';
import { CallClaims } from '../sbc/takeover/call-claims';
import { srfOptionsProbe } from '../sbc/takeover/options-probe';
import { appDialogId } from '../sbc/takeover/srf-dialogs';
import type { Log } from '../util/logger';

/**
 * The leg's session timer (RFC 4028 §7.2/§9): the callee's 2xx names the refresher (absent: the
 * UAC); of the caller's INVITE only an explicit refresher counts (else the engine chose by its
 * configuration, which the record does not know). The same message's Allow says whether the peer
 * takes UPDATE refreshes (absent in older records: unknown, re-INVITE until the peer's Allow is seen).
 */
export function sessionTimerOf(leg: CallLeg): RecoveredDialog['sessionTimer'] {
  const se = parseSessionExpires(leg.sessionExpires);
  if (!se || !leg.role || se.seconds <= 0) return undefined;
  if (leg.role === 'uas' && se.refresher === undefined) return undefined;
  const timer = { interval: se.seconds, weRefresh: weRefreshAfter(se, leg.role) };
  const peerAllowsUpdate = leg.peerAllow === undefined ? undefined : allowsUpdate([leg.peerAllow]);
  return peerAllowsUpdate === undefined ? timer : { ...timer, peerAllowsUpdate };
}

/** One leg as the engine's dialog; undefined when the record lacks what §12 needs. */
export function legDialog(leg: CallLeg): RecoveredDialog | undefined {
  if (!leg.role || !leg.localUri || !leg.remoteUri || !leg.remoteTarget) return undefined;
  const peer = leg.peer;
  return {
    appDialogId: appDialogId(leg),
    dialog: {
      id: { callId: leg.dialog.callId, localTag: leg.dialog.localTag, remoteTag: leg.dialog.remoteTag ?? '' },
      role: leg.role,
      state: 'confirmed',
      localSeq: leg.localCseq,
      remoteSeq: leg.remoteCseq,
      inviteSeq: undefined,
      localUri: leg.localUri,
      remoteUri: leg.remoteUri,
      remoteTarget: leg.remoteTarget,
      routeSet: leg.routeSet,
      localContact: leg.localContact,
      secure: leg.remoteTarget.startsWith('sips:') && peer?.transport === 'tls',
      terminationReason: undefined,
    },
    sessionTimer: sessionTimerOf(leg),
    peer:
      peer && isSipTransportName(peer.transport)
        ? { transport: peer.transport, address: peer.address, port: peer.port }
        : undefined,
  };
}

/** Both legs, or nothing: half a call cannot be carried on. */
export function recordDialogs(rec: CallRecord): RecoveredDialog[] {
  const legs = rec.outbound ? [legDialog(rec.inbound), legDialog(rec.outbound)] : [];
  return legs.every((d) => d !== undefined) ? legs : [];
}

export function startTakeover(o: {
  config: Config;
  state: StateStore;
  srf: EngineLink['srf'];
  engine: { setDialogRecovery(recovery: DialogRecovery): void } | undefined;
  log: Log;
}): { claims: CallClaims; trunk(name: string): TrunkConfig | undefined } | undefined {
  const t = o.config.instance.takeover;
  const log = o.log.child({ component: 'takeover' });
  if (!t.enabled) return undefined;
  if (!o.engine) {
    log.warn('mid-call takeover needs the embedded engine: off');
    return undefined;
  }
  const claims = new CallClaims({
    instanceId: o.config.instance.id,
    state: o.state,
    probe: srfOptionsProbe(o.srf, log),
    probeTimeoutMs: t.probeTimeoutMs,
    now: () => Date.now(),
    log,
  });
  const recovery: DialogRecovery = {
    recover: async (callId, localTag) => {
      const rec = await claims.claim(callId, localTag);
      return rec ? recordDialogs(rec) : [];
    },
  };
  o.engine.setDialogRecovery(recovery);
  const trunks = new Map(o.config.trunks.map((tr) => [tr.name, tr]));
  return { claims, trunk: (name) => trunks.get(name) };
}
