/**
 * `palisade drain`: ask a running Palisade, through its ops server, to drain (POST /admin/drain)
 * — the same as sending it SIGTERM, but usable from another pod or host — and optionally follow
 * its progress (GET /admin/drain) until it is drained or gone.
 */
import http from 'node:http';
import { ConfigError, loadConfig } from '../../config';
import { PalisadeError, toError } from '../../util/errors';
import { parseCommandArgs, stringOption, type OptionSpec } from '../args';
import { DRAIN_PATH, parseDeadline } from '../drain-routes';
import { EXIT_FAILURE, EXIT_OK, UsageError } from '../usage-error';
import type { CommandIo } from './command';

export const DRAIN_HELP = `Usage: palisade drain [--ops URL | --config FILE] [--deadline SECONDS] [--wait | --status]

Drains a running Palisade: it turns not-ready at once, answers new calls 503 with Retry-After,
lets established calls finish (at most the deadline, then ends them with BYE) and exits.

Options:
  --ops URL           its ops server, e.g. http://10.0.0.5:9090
  -c, --config FILE   take the ops address from this configuration (default: PALISADE_CONFIG or
                      the built-in defaults, i.e. http://127.0.0.1:9090)
  --deadline SECONDS  at most this long for calls to finish (default: its shutdown.drainSeconds;
                      a drain already running is only ever shortened)
  --wait              follow the progress until it is drained or has exited
  --status            only show the progress of a drain; start nothing
  -h, --help          show this help

Exit codes: 0 drain started (or, with --wait, finished), 1 not reachable or refused, 2 usage.`;

const OPTIONS: OptionSpec = {
  ops: { type: 'string' },
  config: { type: 'string', short: 'c' },
  deadline: { type: 'string' },
  wait: { type: 'boolean' },
  status: { type: 'boolean' },
};

interface Reply {
  status: number;
  body: string;
}

function request(method: 'GET' | 'POST', url: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') });
      });
    });
    req.on('error', reject);
    req.setTimeout(5000, () => req.destroy(new PalisadeError('CLI_TIMEOUT', `${method} ${url} timed out`)));
    req.end();
  });
}

function opsUrlFrom(configFile: string | undefined): string {
  try {
    const { address, port } = loadConfig(configFile === undefined ? {} : { file: configFile }).observe.http;
    const host = address === '0.0.0.0' ? '127.0.0.1' : address === '::' ? '::1' : address;
    return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  } catch (e) {
    if (e instanceof ConfigError) throw new UsageError(`drain: ${e.message}`);
    throw e;
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Poll until the phase is "drained" or the ops server stops answering (the process exited). */
async function follow(url: string, io: CommandIo): Promise<number> {
  let last = '';
  for (;;) {
    let reply: Reply;
    try {
      reply = await request('GET', url);
    } catch (e) {
      io.out(`ops server gone (${toError(e).message}): the process has exited`);
      return EXIT_OK;
    }
    if (reply.body !== last) io.out(reply.body);
    last = reply.body;
    if ((JSON.parse(reply.body) as { phase?: string }).phase === 'drained') return EXIT_OK;
    await sleep(1000);
  }
}

export async function drainCommand(argv: readonly string[], io: CommandIo): Promise<number> {
  const args = parseCommandArgs('drain', argv, OPTIONS, 0);
  if (args.values.help) {
    io.out(DRAIN_HELP);
    return EXIT_OK;
  }
  const deadline = parseDeadline(stringOption(args, 'deadline') ?? null);
  if (typeof deadline === 'object') throw new UsageError(`drain: ${deadline.error}`);
  const ops = stringOption(args, 'ops');
  const base = (ops ?? opsUrlFrom(stringOption(args, 'config'))).replace(/\/+$/, '');
  const url = `${base}${DRAIN_PATH}`;
  if (args.values.status) {
    const reply = await request('GET', url);
    io.out(reply.body);
    return reply.status === 200 ? EXIT_OK : EXIT_FAILURE;
  }
  let reply: Reply;
  try {
    reply = await request('POST', deadline === undefined ? url : `${url}?deadline=${deadline}`);
  } catch (e) {
    io.err(`palisade: drain: cannot reach ${base}: ${toError(e).message}`);
    return EXIT_FAILURE;
  }
  if (reply.status !== 202) {
    io.err(`palisade: drain: ${base} answered ${reply.status}: ${reply.body}`);
    return EXIT_FAILURE;
  }
  io.out(reply.body);
  return args.values.wait ? follow(url, io) : EXIT_OK;
}
