/**
 * Two Palisade instances sharing one redis-server (issue 8 point 3): each with its public UDP/TCP
 * listener and an internal UDP listener on 127.0.0.1, the local registrar, and the carrier trunk
 * on 127.0.0.2 routed `to: registered`. Devices are sipp processes on 127.0.0.1.
 */
import path from 'node:path';
import { freeSipPort } from '../../support/ports';
import { runSipp, SIPP_FIXTURES, type SippResult } from '../../support/sipp';
import { freeRtpPortPair, toneFile } from '../../support/sipp-rtp';
import { startTestSbc, type TestSbc } from '../../support/sbc';
import { CARRIER_IP, CARRIER_TO_REGISTERED, LOCAL_REGISTRAR } from '../registrar/registrar-fixture';

export const SECRET = 'instance-forwarding-test-secret';
export const AOR = 'sip:alice@127.0.0.1';

export interface Instance {
  id: string;
  sbc: TestSbc;
  internalPort: number;
}

/** `sharedAddress`, `drainExpiresSeconds`: the instance keys (ADR 0006); `sipPort`: take over that port. */
export async function startInstance(
  id: string,
  redisUrl: string,
  o: { sharedAddress?: boolean; drainExpiresSeconds?: number; sipPort?: number } = {},
): Promise<Instance> {
  const internalPort = await freeSipPort();
  const more = [
    ...(o.sharedAddress === undefined ? [] : [`, sharedAddress: ${o.sharedAddress}`]),
    ...(o.drainExpiresSeconds === undefined ? [] : [`, drainExpiresSeconds: ${o.drainExpiresSeconds}`]),
  ].join('');
  const sbc = await startTestSbc({
    carrierPort: 9,
    ...(o.sipPort === undefined ? {} : { sipPort: o.sipPort }),
    routingYaml: CARRIER_TO_REGISTERED,
    extraYaml: `${LOCAL_REGISTRAR}\ninstance: { id: ${id}, secret: "${SECRET}", heartbeatSeconds: 1${more} }`,
    listenYaml: `{ transport: udp, address: 127.0.0.1, port: ${internalPort}, internal: true }`,
    state: `state: { backend: redis, url: "${redisUrl}" }`,
    capture: true,
  });
  return { id, sbc, internalPort };
}

/** A device registering as alice on `at` and answering calls (`answer` is its -oocsf scenario). */
export async function startDevice(
  at: TestSbc,
  o: { upMs: number; answer?: string; transport?: 'u1' | 't1' },
): Promise<SippResult> {
  return runSipp({
    scenario: 'reg-uac-answer.xml',
    remote: { host: '127.0.0.1', port: at.sipPort },
    calls: 1,
    service: 'alice',
    transport: o.transport ?? 'u1',
    pauseMs: o.upMs,
    mediaPort: await freeRtpPortPair(),
    rtpEcho: true,
    keys: { expires: '600', contact_host: '127.0.0.1' },
    extraArgs: [
      '-au',
      'alice',
      '-ap',
      'alice-secret',
      '-oocsf',
      path.join(SIPP_FIXTURES, o.answer ?? 'reg-uas-device.xml'),
    ],
    timeoutMs: o.upMs + 20_000,
    traceMessages: true,
  });
}

/** The carrier calling alice at `at`: with RTP (rtp-uac.xml, BYE after `pauseMs`) or another scenario. */
export async function carrierCall(
  at: TestSbc,
  o: { scenario?: string; pauseMs?: number; user?: string } = {},
): Promise<SippResult> {
  const rtp = o.scenario === undefined;
  return runSipp({
    scenario: o.scenario ?? 'rtp-uac.xml',
    remote: { host: '127.0.0.1', port: at.sipPort },
    localIp: CARRIER_IP,
    calls: 1,
    service: o.user ?? 'alice',
    pauseMs: o.pauseMs ?? 2000,
    ...(rtp ? { mediaPort: await freeRtpPortPair(CARRIER_IP), rtpStream: toneFile({ seconds: 1 }) } : {}),
    timeoutMs: 25_000,
    traceMessages: true,
  });
}
