/**
 * End-to-end calls across the lab: a sipp UA behind a home NAT, Palisade in `sbc`, the carrier
 * (sipp with -rtp_echo) on 203.0.113.20. RTP is counted where it arrives — iptables counters on
 * the UA's and the carrier's media ports inside their namespaces — so "two-way audio" means
 * packets really reached both ends through the NAT and rtpengine.
 */
import { toneFile } from '../sipp-rtp';
import { CARRIER_ADDRESS, SBC_ADDRESS, type Home, type Lab } from './lab';
import type { PacketCounter } from './counters';
import { runSippIn, startSippIn, startSippUasIn, type NsSipp, type NsSippResult } from './ns-sipp';
import { SBC_SIP_PORT } from './ns-palisade';

export const UA_SIP_PORT = 5060;
export const UA_MEDIA_PORT = 40000;
export const CARRIER_MEDIA_PORT = 41000;
/** RTP packets at each end that count as "media flows that way" (a 20 ms stream sends 50/s). */
export const MIN_RTP_PACKETS = 25;

export interface MediaCounters {
  /** RTP that reached the UA (through the NAT). */
  toUa: PacketCounter;
  /** RTP that reached the carrier. */
  toCarrier: PacketCounter;
}

export interface MediaCount {
  toUa: number;
  toCarrier: number;
}

export async function mediaCounters(lab: Lab, home: Home): Promise<MediaCounters> {
  return {
    toUa: await lab.counter(home.uaNs, 'rtp-to-ua', { dport: UA_MEDIA_PORT }),
    toCarrier: await lab.counter(lab.ns.carrier, 'rtp-to-carrier', { dport: CARRIER_MEDIA_PORT }),
  };
}

export async function readMedia(c: MediaCounters): Promise<MediaCount> {
  return { toUa: await c.toUa.packets(), toCarrier: await c.toCarrier.packets() };
}

export function twoWay(m: MediaCount): boolean {
  return m.toUa >= MIN_RTP_PACKETS && m.toCarrier >= MIN_RTP_PACKETS;
}

/** The carrier's sipp UAS (echoing RTP) running `scenario`. */
export function startCarrierUas(lab: Lab, scenario = 'rtp-uas-echo.xml'): Promise<NsSipp> {
  return startSippUasIn(lab, lab.ns.carrier, {
    scenario,
    localIp: CARRIER_ADDRESS,
    localPort: 5060,
    mediaPort: CARRIER_MEDIA_PORT,
    rtpEcho: true,
    calls: 1,
  });
}

export interface UaCallOptions {
  scenario?: string;
  /** -d: how long the call lasts (or the scenario's pauses), ms. */
  pauseMs?: number;
  service?: string;
  /** User part of the From (`[caller]` in ua-call-reinvite-both.xml), e.g. the registered AOR's. */
  caller?: string;
  extraArgs?: readonly string[];
  timeoutMs?: number;
}

/** The UA behind `home` calls through Palisade, streaming a tone from its media port. */
export function uaCall(lab: Lab, home: Home, o: UaCallOptions = {}): Promise<NsSippResult> {
  return runSippIn(lab, home.uaNs, {
    scenario: o.scenario ?? 'rtp-uac.xml',
    localIp: home.ua,
    localPort: UA_SIP_PORT,
    mediaPort: UA_MEDIA_PORT,
    remote: { host: SBC_ADDRESS, port: SBC_SIP_PORT },
    service: o.service ?? '15550001',
    keys: { caller: o.caller ?? 'ua' },
    calls: 1,
    pauseMs: o.pauseMs ?? 3000,
    rtpStream: toneFile({ seconds: 1 }),
    timeoutMs: o.timeoutMs ?? 30_000,
    extraArgs: o.extraArgs,
  });
}

/** A sipp UA process behind `home` (e.g. register, then answer calls with -oocsf). */
export function startUa(lab: Lab, home: Home, o: UaCallOptions & { scenario: string }): NsSipp {
  return startSippIn(lab, home.uaNs, {
    scenario: o.scenario,
    localIp: home.ua,
    localPort: UA_SIP_PORT,
    mediaPort: UA_MEDIA_PORT,
    remote: { host: SBC_ADDRESS, port: SBC_SIP_PORT },
    service: o.service ?? 'alice',
    calls: 1,
    pauseMs: o.pauseMs,
    rtpStream: toneFile({ seconds: 1 }),
    timeoutMs: o.timeoutMs ?? 120_000,
    timeoutIsError: false,
    extraArgs: o.extraArgs,
  });
}
