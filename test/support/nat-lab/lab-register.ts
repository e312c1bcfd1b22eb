/**
 * Registered UAs in the lab: Palisade's local registrar with one digest user, a sipp UA that
 * registers through its NAT (and optionally stays up to answer calls and keepalives), and the
 * carrier calling that user (routes `from: carrier, to: registered`).
 */
import { eventually } from '../http';
import { CARRIER_ADDRESS, SBC_ADDRESS, type Home, type Lab } from './lab';
import { CARRIER_MEDIA_PORT, startUa, UA_SIP_PORT } from './lab-call';
import { SBC_SIP_PORT } from './ns-palisade';
import { natScenario, runSippIn, type NsSipp, type NsSippResult } from './ns-sipp';

export const LAB_USER = 'alice';
export const LAB_PASSWORD = 'lab-secret-1';

/** `registrar:` for the lab: a local registrar with one user, MD5 digest (what sipp speaks). */
export const LAB_REGISTRAR_YAML = [
  'registrar:',
  '  mode: local',
  '  realm: lab.example',
  '  algorithms: [ MD5 ]',
  `  users: [ { user: ${LAB_USER}, password: ${LAB_PASSWORD} } ]`,
].join('\n');

const REGISTERED = /received[^\n]*\n\nSIP\/2\.0 200[^\n]*\n(?:[^\n]+\n)*?CSeq: 2 REGISTER/;

/** Register the UA behind `home` (digest) and return when the 200 arrived; sipp then exits. */
export async function uaRegister(lab: Lab, home: Home): Promise<NsSippResult> {
  return runSippIn(lab, home.uaNs, {
    scenario: 'register-uac.xml',
    localIp: home.ua,
    localPort: UA_SIP_PORT,
    remote: { host: SBC_ADDRESS, port: SBC_SIP_PORT },
    service: LAB_USER,
    calls: 1,
    timeoutMs: 15_000,
    extraArgs: ['-au', LAB_USER, '-ap', LAB_PASSWORD],
  });
}

/**
 * A registered UA that stays up and answers (out-of-call scenario ua-answer.xml) the calls and
 * OPTIONS keepalives that reach it through its NAT. Resolves once its registration got a 200.
 * `scenario` e.g. ua-register-refresh.xml (re-registers once after `pauseMs`).
 */
export async function startRegisteredUa(
  lab: Lab,
  home: Home,
  o: { scenario?: string; pauseMs?: number } = {},
): Promise<NsSipp> {
  const ua = startUa(lab, home, {
    scenario: o.scenario ?? 'ua-register-wait.xml',
    service: LAB_USER,
    pauseMs: o.pauseMs ?? 10 * 60_000,
    extraArgs: ['-au', LAB_USER, '-ap', LAB_PASSWORD, '-oocsf', natScenario('ua-answer.xml')],
  });
  let exited = false;
  void ua.done.then(() => (exited = true));
  await eventually(() => {
    if (exited) throw new Error(`the UA exited before registering: ${ua.process.recentOutput()}`);
    if (!REGISTERED.test(ua.messages()))
      throw new Error(`the UA is not registered:\n${ua.messages().slice(-1500)}`);
  }, 15_000);
  return ua;
}

/** The carrier calls `user` through Palisade (sipp UAC with -rtp_echo), for `pauseMs`. */
export function carrierCall(lab: Lab, user = LAB_USER, pauseMs = 3000): Promise<NsSippResult> {
  return runSippIn(lab, lab.ns.carrier, {
    scenario: 'invite-uac.xml',
    localIp: CARRIER_ADDRESS,
    localPort: 5060,
    mediaPort: CARRIER_MEDIA_PORT,
    rtpEcho: true,
    remote: { host: SBC_ADDRESS, port: SBC_SIP_PORT },
    service: user,
    calls: 1,
    pauseMs,
    timeoutMs: 20_000,
  });
}
