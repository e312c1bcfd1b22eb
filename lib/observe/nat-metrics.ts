/**
 * NAT traversal and SIP ALG metrics (issue 7) on the process's Metrics registry. Labels come
 * from fixed sets (labels.ts): NAT client types, ALG signal names, keepalive method/mode/result.
 */
import { Counter, Gauge } from 'prom-client';
import type { Metrics } from './metrics';
import { ALG_SIGNALS, NAT_CLIENT_TYPES, oneOf } from './labels';

const algSet: ReadonlySet<string> = new Set(ALG_SIGNALS);
const natSet: ReadonlySet<string> = new Set(NAT_CLIENT_TYPES);
const methodSet: ReadonlySet<string> = new Set(['options', 'crlf']);
const modeSet: ReadonlySet<string> = new Set(['fixed', 'adaptive']);
const resultSet: ReadonlySet<string> = new Set(['answered', 'missed']);

export type KeepaliveResult = 'answered' | 'missed';

export class NatMetrics {
  private readonly clients: Counter<'type'>;
  private readonly suspected: Counter<'signal'>;
  private readonly evidence: Counter<'signal'>;
  private readonly suspectedClients: Gauge;
  private readonly keepalives: Counter<'method' | 'mode'>;
  private readonly keepaliveResults: Counter<'mode' | 'result'>;
  private readonly unreachable: Counter;
  private readonly flows: Gauge<'mode'>;

  constructor(metrics: Metrics) {
    const registers = [metrics.registry];
    this.clients = new Counter({
      name: 'palisade_nat_clients_total',
      help: 'Requests (INVITE, REGISTER) by the NAT detection verdict on their client',
      labelNames: ['type'] as const,
      registers,
    });
    this.suspected = new Counter({
      name: 'palisade_alg_suspected_total',
      help: 'Clients that became "SIP ALG suspected", once per signal of their evidence',
      labelNames: ['signal'] as const,
      registers,
    });
    this.evidence = new Counter({
      name: 'palisade_alg_evidence_total',
      help: 'Single observations of SIP ALG evidence, by signal',
      labelNames: ['signal'] as const,
      registers,
    });
    this.suspectedClients = new Gauge({
      name: 'palisade_alg_suspected_clients',
      help: 'Clients this instance currently suspects of being behind a SIP ALG',
      registers,
    });
    this.keepalives = new Counter({
      name: 'palisade_nat_keepalives_sent_total',
      help: 'Keepalive packets Palisade sent to NATed UDP flows (retries included)',
      labelNames: ['method', 'mode'] as const,
      registers,
    });
    this.keepaliveResults = new Counter({
      name: 'palisade_nat_keepalive_results_total',
      help: 'Keepalives answered or missed (no response within the timeout)',
      labelNames: ['mode', 'result'] as const,
      registers,
    });
    this.unreachable = new Counter({
      name: 'palisade_nat_flows_unreachable_total',
      help: 'NATed flows reported unreachable after consecutive unanswered keepalives',
      registers,
    });
    this.flows = new Gauge({
      name: 'palisade_nat_keepalive_flows',
      help: 'NATed UDP flows this instance keeps alive',
      labelNames: ['mode'] as const,
      registers,
    });
  }

  natClient(type: string): void {
    this.clients.inc({ type: oneOf(type, natSet) });
  }

  algEvidence(signal: string): void {
    this.evidence.inc({ signal: oneOf(signal, algSet) });
  }

  algSuspected(signals: readonly string[]): void {
    for (const signal of signals) this.suspected.inc({ signal: oneOf(signal, algSet) });
  }

  setSuspectedClients(n: number): void {
    this.suspectedClients.set(n);
  }

  keepaliveSent(method: string, mode: string): void {
    this.keepalives.inc({ method: oneOf(method, methodSet), mode: oneOf(mode, modeSet) });
  }

  keepaliveResult(mode: string, result: KeepaliveResult): void {
    this.keepaliveResults.inc({ mode: oneOf(mode, modeSet), result: oneOf(result, resultSet) });
  }

  flowUnreachable(): void {
    this.unreachable.inc();
  }

  setFlows(mode: string, n: number): void {
    this.flows.set({ mode: oneOf(mode, modeSet) }, n);
  }
}
