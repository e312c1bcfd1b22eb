/**
 * Shared pieces of the registrar tests: a Palisade with a registrar section and a carrier trunk
 * on 127.0.0.2 routed `to: registered`, devices (sipp on 127.0.0.1) registering to it, and
 * reading what sipp saw.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { runSipp, SIPP_FIXTURES, type SippResult, type SippTransport } from '../../support/sipp';
import { startTestSbc, type TestSbc } from '../../support/sbc';

export const CARRIER_IP = '127.0.0.2';

export const LOCAL_REGISTRAR = [
  'registrar:',
  '  mode: local',
  // sipp 3.6 answers only the first challenge and knows only MD5: offer MD5 first here.
  '  algorithms: [ MD5, SHA-256 ]',
  '  users: [ { user: alice, password: "alice-secret" }, { user: bob, password: "bob-secret" } ]',
  '  expires: { min: 30, max: 3600, default: 600, natMax: 45 }',
].join('\n');

export const CARRIER_TO_REGISTERED = [
  'trunks:',
  `  - { name: carrier, inbound: { sources: [ ${CARRIER_IP}/32 ] } }`,
  'routes:',
  '  - { from: carrier, to: registered }',
].join('\n');

export function startRegistrarSbc(
  o: { registrar?: string; routing?: string; state?: string } = {},
): Promise<TestSbc> {
  return startTestSbc({
    carrierPort: 9,
    routingYaml: o.routing ?? CARRIER_TO_REGISTERED,
    extraYaml: o.registrar ?? LOCAL_REGISTRAR,
    capture: true,
    ...(o.state === undefined ? {} : { state: o.state }),
  });
}

export function explain(r: SippResult): string {
  return `exit ${r.exitCode} (${r.outcome})\n${r.errors}\n${r.output}\n${messages(r)}`;
}

export function messages(r: SippResult): string {
  const file = r.files.messages;
  return file === undefined || !existsSync(file) ? '' : readFileSync(file, 'utf8');
}

/** The last 200 OK to REGISTER in a sipp message log. */
export function last200(r: SippResult): string {
  const log = messages(r);
  const at = log.lastIndexOf('SIP/2.0 200');
  return at < 0 ? '' : log.slice(at, log.indexOf('\n\n', at) < 0 ? undefined : log.indexOf('\n\n', at));
}

export function register(
  sbc: TestSbc,
  o: {
    scenario?: string;
    user?: string;
    password?: string;
    expires?: number;
    contactHost?: string;
    transport?: SippTransport;
    localPort?: number;
  } = {},
): Promise<SippResult> {
  const user = o.user ?? 'alice';
  return runSipp({
    scenario: o.scenario ?? 'reg-uac.xml',
    remote: { host: '127.0.0.1', port: sbc.sipPort },
    calls: 1,
    service: user,
    transport: o.transport ?? 'u1',
    ...(o.localPort === undefined ? {} : { localPort: o.localPort }),
    keys: { expires: String(o.expires ?? 600), contact_host: o.contactHost ?? '127.0.0.1' },
    extraArgs: ['-au', user, '-ap', o.password ?? `${user}-secret`],
    timeoutMs: 15_000,
    traceMessages: true,
  });
}

/**
 * A device that registers as `user`, stays up `upMs` and handles calls (-oocsf) with
 * `answering` (default reg-uas-device.xml: answers).
 */
export function startDevice(
  sbc: TestSbc,
  o: {
    user: string;
    transport: SippTransport;
    upMs: number;
    scenario?: string;
    keys?: Record<string, string>;
    answering?: string;
  },
): Promise<SippResult> {
  return runSipp({
    scenario: o.scenario ?? 'reg-uac-answer.xml',
    remote: { host: '127.0.0.1', port: sbc.sipPort },
    calls: 1,
    service: o.user,
    transport: o.transport,
    pauseMs: o.upMs,
    keys: { expires: '600', contact_host: '127.0.0.1', ...o.keys },
    extraArgs: [
      '-au',
      o.user,
      '-ap',
      `${o.user}-secret`,
      '-oocsf',
      path.join(SIPP_FIXTURES, o.answering ?? 'reg-uas-device.xml'),
    ],
    timeoutMs: o.upMs + 20_000,
    traceMessages: true,
  });
}

export function carrierCall(sbc: TestSbc, user: string, scenario = 'invite-uac.xml'): Promise<SippResult> {
  return runSipp({
    scenario,
    remote: { host: '127.0.0.1', port: sbc.sipPort },
    localIp: CARRIER_IP,
    calls: 1,
    service: user,
    pauseMs: 300,
    timeoutMs: 20_000,
    traceMessages: true,
  });
}
