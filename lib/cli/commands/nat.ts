/**
 * `palisade nat alg-suspects|flows [--ops URL] [--json]`: the NAT admin queries of a running
 * Palisade (issue 7), over its ops HTTP endpoint — SIP ALG suspects seen by any instance, and the
 * NATed flows this instance keeps alive with their learnt mapping lifetime.
 */
import http from 'node:http';
import { DEFAULT_OBSERVE_PORT } from '../../config/schema/root';
import { parseCommandArgs, stringOption, type OptionSpec } from '../args';
import { EXIT_FAILURE, EXIT_OK, UsageError } from '../usage-error';
import type { CommandIo } from './command';

export const NAT_HELP = `Usage: palisade nat <alg-suspects|flows> [--ops URL] [--json]

  alg-suspects   clients suspected of sitting behind a router SIP ALG (all instances)
  flows          NATed UDP flows this instance keeps alive: interval, learnt mapping lifetime

Options:
  --ops URL      the instance's ops endpoint (default http://127.0.0.1:${DEFAULT_OBSERVE_PORT})
  --json         print the JSON answer as is
  -h, --help     show this help`;

const OPTIONS: OptionSpec = { ops: { type: 'string' }, json: { type: 'boolean' } };
const PATHS: Record<string, string> = {
  'alg-suspects': '/admin/nat/alg-suspects',
  flows: '/admin/nat/flows',
};

function get(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') });
      });
    });
    req.on('error', reject);
    req.setTimeout(5000, () => req.destroy(new Error(`no answer from ${url} within 5 s`)));
  });
}

type Row = Record<string, unknown>;
const list = (v: unknown): Row[] => (Array.isArray(v) ? (v as Row[]) : []);
const text = (v: unknown): string => (typeof v === 'string' || typeof v === 'number' ? String(v) : '-');

export function formatSuspects(body: unknown): string[] {
  const rows = list((body as { suspects?: unknown }).suspects);
  if (rows.length === 0) return ['no SIP ALG suspects'];
  return rows.flatMap((s) => [
    `${text(s.client)}  signals=${list(s.signals).map(text).join(',')}  ua=${text(s.userAgent)}  who=${text(s.identity)}  last=${s.lastEvidenceAt ? new Date(Number(s.lastEvidenceAt)).toISOString() : '-'}  seen-by=${text(s.instance)}`,
    ...list(s.evidence).map((e) => `    ${text(e)}`),
  ]);
}

export function formatFlows(body: unknown): string[] {
  const rows = list((body as { flows?: unknown }).flows);
  if (rows.length === 0) return ['no NATed flows kept alive on this instance'];
  return rows.map((f) => {
    const life = (f.lifetime ?? {}) as Row;
    return `${text(f.flow)}  ${text(f.mode)}/${text(f.phase)}  every ${text(f.intervalSeconds)}s  lifetime ${text(life.atLeastSeconds)}..${text(life.atMostSeconds)}s  sent=${text(f.sent)} answered=${text(f.answered)} missed=${text(f.missed)}${f.unreachable === true ? '  UNREACHABLE' : ''}  aors=${list(f.aors).map(text).join(',')}`;
  });
}

export async function natCommand(argv: readonly string[], io: CommandIo): Promise<number> {
  const args = parseCommandArgs('nat', argv, OPTIONS, 1);
  if (args.values.help) {
    io.out(NAT_HELP);
    return EXIT_OK;
  }
  const what = args.positionals[0];
  const path = what === undefined ? undefined : PATHS[what];
  if (path === undefined)
    throw new UsageError(`nat: expected alg-suspects or flows${what ? `, not '${what}'` : ''}`);
  const base = (stringOption(args, 'ops') ?? `http://127.0.0.1:${DEFAULT_OBSERVE_PORT}`).replace(/\/+$/, '');
  const reply = await get(`${base}${path}`);
  if (reply.status !== 200) {
    io.err(`palisade nat ${what}: ${base}${path} answered ${reply.status}: ${reply.body}`);
    return EXIT_FAILURE;
  }
  if (args.values.json) {
    io.out(reply.body);
    return EXIT_OK;
  }
  const body: unknown = JSON.parse(reply.body);
  for (const line of what === 'flows' ? formatFlows(body) : formatSuspects(body)) io.out(line);
  return EXIT_OK;
}
