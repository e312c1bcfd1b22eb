/**
 * RTP through the shared rtpengine, counted where it arrives: iptables counters (nat-lab
 * counters.ts) on the carrier's and the callee's media ports. The carrier streams a tone, the
 * callee echoes it (-rtp_echo), so packets reaching either end went through rtpengine. The window
 * measured opens once B has taken every call over: media still flows on B's watch.
 */
import { addCounter, type PacketCounter } from '../nat-lab/counters';
import type { TakeoverLab } from './topology';

export const CARRIER_MEDIA_PORT = 40000;
export const CALLEE_MEDIA_PORT = 41000;

export interface RtpCounters {
  toCarrier: PacketCounter;
  toCallee: PacketCounter;
}

export interface RtpWindow {
  toCarrier: number;
  toCallee: number;
  windowMs: number;
}

export async function rtpCounters(lab: TakeoverLab): Promise<RtpCounters> {
  return {
    toCarrier: await addCounter(lab.ns.carrier, 'rtp-to-carrier', { dport: CARRIER_MEDIA_PORT }),
    toCallee: await addCounter(lab.ns.callee, 'rtp-to-callee', { dport: CALLEE_MEDIA_PORT }),
  };
}

const sleep = (ms: number): Promise<void> =>
  new Promise((resolve) => {
    setTimeout(resolve, ms);
  });

/**
 * Packets that arrived during `windowMs`, starting `delayMs` after `ready()` first holds; polled
 * every 100 ms until `give up()` holds (then undefined: the window never opened).
 */
export async function rtpWindowAfter(
  c: RtpCounters,
  ready: () => boolean,
  givenUp: () => boolean,
  o: { delayMs: number; windowMs: number },
): Promise<RtpWindow | undefined> {
  while (!ready()) {
    if (givenUp()) return undefined;
    await sleep(100);
  }
  await sleep(o.delayMs);
  const before = { toCarrier: await c.toCarrier.packets(), toCallee: await c.toCallee.packets() };
  await sleep(o.windowMs);
  return {
    toCarrier: (await c.toCarrier.packets()) - before.toCarrier,
    toCallee: (await c.toCallee.packets()) - before.toCallee,
    windowMs: o.windowMs,
  };
}
