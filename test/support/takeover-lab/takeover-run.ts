/**
 * One kill -9 takeover run (issue 8 point 4): build the lab, start redis + rtpengine, A and B,
 * the callee (sipp UAS) and the carrier (sipp UAC, `calls` calls at once); once every call is
 * recorded in Redis as owned by A, SIGKILL everything on A's host and move the VIP to B; then let
 * the scenarios' in-dialog requests (after their pause) reach B. Everything the checks need is
 * collected before the lab is destroyed; `report()` is the post-mortem printed on failure.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eventually } from '../http';
import {
  LIVE_OWNER,
  PROBED_DEAD,
  RTP_WINDOW_MS,
  TAKEN_OVER,
  type TakeoverOutcome,
  type TakeoverRunOptions,
  type Variant,
} from './outcome';
import { finishAfter, settle } from './waiting';
import { sippMessages } from '../../integration/sbc/sbc-fixture';
import { KEY_PREFIX, startInfra, type Infra } from './infra';
import { startInstance, SIP_PORT, type LabInstance } from './instance';
import { toneFile } from '../sipp-rtp';
import { CALLEE_MEDIA_PORT, CARRIER_MEDIA_PORT, rtpCounters, rtpWindowAfter } from './media-flow';
import { startLabSipp, startLabSippUas, type LabSipp } from './lab-sipp';
import { buildTakeoverLab, VIP, type TakeoverLab } from './topology';

/** In-dialog requests (re-INVITE, UPDATE, INFO, BYE) a sipp side has sent so far. */
function inDialogRequestsSent(messages: string): number {
  return sippMessages(messages).filter(
    (m) =>
      m.direction === 'sent' && /^(INVITE|UPDATE|INFO|BYE) /.test(m.text) && /^To:.*;tag=/im.test(m.text),
  ).length;
}

function scenarios(variant: Variant): { uac: string; uas: string } {
  return { uac: `takeover-uac-${variant}.xml`, uas: `takeover-uas-${variant}.xml` };
}

export type { TakeoverOutcome, TakeoverRunOptions, Variant } from './outcome';

export async function runTakeover(o: TakeoverRunOptions): Promise<TakeoverOutcome> {
  const calls = o.calls ?? 4;
  const pauseMs = o.pauseMs ?? 12_000;
  const dumpDir = mkdtempSync(path.join(tmpdir(), `palisade-takeover-${o.variant}-`));
  const { uac, uas } = scenarios(o.variant);
  let lab: TakeoverLab | undefined;
  const instances: LabInstance[] = [];
  let infra: Infra | undefined;
  const sipps: LabSipp[] = [];
  try {
    lab = await buildTakeoverLab();
    infra = await startInfra(lab);
    const [a, b] = await Promise.all([
      startInstance(lab, 'a', { takeover: true, heartbeatSeconds: o.heartbeatSeconds }),
      startInstance(lab, 'b', { takeover: o.takeover, heartbeatSeconds: o.heartbeatSeconds }),
    ]);
    instances.push(a, b);
    const withRtp = o.variant === 'caller-driven';
    const counters = await rtpCounters(lab);
    const sippTimeout = pauseMs + 45_000;
    const callee = await startLabSippUas(lab, 'callee', {
      scenario: uas,
      calls,
      pauseMs,
      mediaPort: CALLEE_MEDIA_PORT,
      rtpEcho: true,
      timeoutMs: sippTimeout,
      workDir: mkdtempSync(path.join(dumpDir, 'callee-')),
    });
    sipps.push(callee);
    const carrier = startLabSipp(lab, 'carrier', {
      scenario: uac,
      remote: { host: VIP, port: SIP_PORT },
      service: 'callee',
      calls,
      rate: calls,
      maxConcurrent: calls,
      pauseMs,
      mediaPort: CARRIER_MEDIA_PORT,
      ...(withRtp ? { rtpStream: toneFile({ seconds: 1 }) } : {}),
      timeoutMs: sippTimeout,
      workDir: mkdtempSync(path.join(dumpDir, 'carrier-')),
    });
    sipps.push(carrier);
    const started = Date.now();
    const ownedByA = await eventually(
      async () => {
        if (carrier.process.child.exitCode !== null) throw new Error('the carrier sipp exited early');
        const owned = await infra!.callsOwnedBy('a');
        if (owned.length < calls) throw new Error(`${owned.length}/${calls} calls recorded as A's`);
        return owned;
      },
      Math.max(1000, pauseMs - 5000),
      100,
    ).catch((e: unknown) => {
      throw new Error(`calls not established on A in time: ${(e as Error).message}`);
    });
    await new Promise((r) => setTimeout(r, 300)); // the ACKs follow the 200s the record was written for
    const rtpengineBefore = await infra.rtpengineCalls();
    const window = { delayMs: 0, windowMs: RTP_WINDOW_MS };
    const rtpBeforeKill = withRtp
      ? await rtpWindowAfter(
          counters,
          () => true,
          () => true,
          window,
        )
      : undefined;
    if (o.killA ?? true) await lab.killHost('a');
    await lab.failOver();
    if (inDialogRequestsSent(carrier.messages()) + inDialogRequestsSent(callee.messages()) > 0) {
      throw new Error(
        `the harness was late: an in-dialog request left before the kill (pause ${pauseMs} ms)`,
      );
    }
    const aEntryTtlAtKill = Number(await infra.redisCli('TTL', `${KEY_PREFIX}inst:{a}`));
    const killedAfterMs = Date.now() - started;
    const takeovers = (): number => b.logs().filter((l) => l.msg === TAKEN_OVER).length;
    const carrierDone = (): boolean => carrier.process.child.exitCode !== null;
    const [carrierResult, calleeResult, rtpAfterTakeover] = await Promise.all([
      finishAfter(carrier, callee.done, 8000),
      finishAfter(callee, carrier.done, 8000),
      withRtp
        ? rtpWindowAfter(counters, () => takeovers() >= calls, carrierDone, { ...window, delayMs: 300 })
        : undefined,
    ]);
    const rtpengineAfter = await settle(
      () => infra!.rtpengineCalls(),
      (l) => l.length === 0,
      5000,
    );
    const callKeysAfter = await settle(
      async () =>
        (await infra!.redisCli('--scan', '--pattern', 'palisade:call:*')).split('\n').filter(Boolean),
      (l) => l.length === 0,
      3000,
    );
    const takenOverByB = b
      .logs()
      .filter((l) => l.msg === TAKEN_OVER && l.owner === 'a')
      .map((l) => String(l.call));
    const outcome: TakeoverOutcome = {
      calls,
      carrier: carrierResult,
      callee: calleeResult,
      ownedByA,
      rtpengineBefore,
      rtpengineAfter,
      takenOverByB: [...new Set(takenOverByB)],
      aEntryTtlAtKill,
      rtpBeforeKill,
      rtpAfterTakeover,
      probedDead: b.logs().filter((l) => l.msg === PROBED_DEAD && l.owner === 'a').length,
      liveOwnerRefusals: b.logs().filter((l) => l.msg === LIVE_OWNER && l.owner === 'a').length,
      callKeysAfter,
      dumpDir,
      report: () =>
        [
          `variant ${o.variant}, B takeover ${String(o.takeover)}, A killed ${String(o.killA ?? true)}, VIP moved ${killedAfterMs} ms after the first INVITE`,
          `carrier exit ${String(carrierResult.exitCode)}: ${carrierResult.errors.slice(0, 2000)}`,
          `callee exit ${String(calleeResult.exitCode)}: ${calleeResult.errors.slice(0, 2000)}`,
          `owned by A ${JSON.stringify(ownedByA)}; taken over by B ${JSON.stringify(takenOverByB)}`,
          `A's instance entry TTL at the kill ${aEntryTtlAtKill} s; B's failed probes of A ${String(b.logs().filter((l) => l.msg === PROBED_DEAD).length)}`,
          `RTP before the kill ${JSON.stringify(rtpBeforeKill)}, after the takeover ${JSON.stringify(rtpAfterTakeover)}`,
          `rtpengine before ${rtpengineBefore.length}, after ${rtpengineAfter.length}; call keys left ${callKeysAfter.length}`,
          `logs and sipp traces in ${dumpDir}`,
          `B's last log lines:\n${b.process.recentOutput()}`,
        ].join('\n'),
    };
    writeFileSync(path.join(dumpDir, 'summary.txt'), `${outcome.report()}\n`);
    return outcome;
  } catch (e) {
    throw new Error(`${(e as Error).message}\n(logs and sipp traces in ${dumpDir})`, { cause: e });
  } finally {
    await Promise.all(sipps.map((s) => s.stop(1000)));
    for (const i of instances)
      writeFileSync(path.join(dumpDir, `${i.id}.log`), i.process.stdout() + i.process.stderr());
    if (infra !== undefined) writeFileSync(path.join(dumpDir, 'rtpengine.log'), infra.rtpengine.stderr());
    await lab?.destroy();
  }
}
