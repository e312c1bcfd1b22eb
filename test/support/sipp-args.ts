/** Options of one sipp run and their translation into sipp 3.6.1 command-line arguments. */

/** u1/t1: one socket for all calls; un/tn: one socket per call. */
export type SippTransport = 'u1' | 'un' | 't1' | 'tn';

export interface SippOptions {
  /** Fixture name in test/fixtures/sipp (`invite-uac.xml`) or a path to a scenario file. */
  scenario: string;
  /** Where to send (UAC). Omit for a UAS. */
  remote?: { host: string; port: number } | undefined;
  /** Local address for SIP, media and control sockets. Default 127.0.0.1. */
  localIp?: string;
  /** -p; default: a free loopback port (sipp itself would take 5060 when free). */
  localPort?: number;
  transport?: SippTransport;
  /** -m: stop after this many calls. */
  calls?: number;
  /** -r: calls per rate period. */
  rate?: number;
  /** -rp: rate period in milliseconds (default 1000). */
  ratePeriodMs?: number;
  /** -l: maximum simultaneous calls. */
  maxConcurrent?: number;
  /** -d: length of `<pause/>` without a duration, in milliseconds. */
  pauseMs?: number;
  /** -s: user part of the Request-URI ([service]). */
  service?: string;
  /** -inf: a CSV file path, or rows that are written to one (first line: mode). */
  injection?: string | { mode?: 'SEQUENTIAL' | 'RANDOM' | 'USER'; rows: string[][] };
  /** -max_recv_loops / -max_sched_loops (sipp defaults 1000). */
  maxRecvLoops?: number;
  maxSchedLoops?: number;
  /** -recv_timeout: a call fails when an expected message does not arrive in time. */
  recvTimeoutMs?: number;
  /** -max_retrans: UDP retransmissions before a call fails. */
  maxRetrans?: number;
  /** -timeout: sipp quits after this; with `timeoutIsError` (default true) it exits non-zero. */
  timeoutMs?: number;
  timeoutIsError?: boolean;
  /** We SIGTERM/SIGKILL sipp after this (default timeoutMs + 5 s, or 35 s). */
  hardDeadlineMs?: number;
  /** -key name value: [name] in the scenario. */
  keys?: Readonly<Record<string, string>>;
  /** -set name value: global scenario variables. */
  sets?: Readonly<Record<string, string>>;
  /** -trace_msg (default true; turn off for load runs). */
  traceMessages?: boolean;
  /** -cp: control port; default sipp's own choice (8888 upwards) on localIp. */
  controlPort?: number;
  /** -buff_size for SIP sockets. */
  bufferSize?: number;
  /** Directory for stats/messages/errors/screen files; default a fresh temp directory. */
  workDir?: string;
  /** Called with sipp's pid right after it is spawned (e.g. to sample its CPU use). */
  onSpawn?: (pid: number) => void;
  /** -mi: address of the RTP sockets and of [media_ip] in SDP. Default: localIp. */
  mediaIp?: string;
  /**
   * -mp: RTP port ([media_port]). sipp binds it and port+2 (its video socket); without it
   * sipp takes the first free even pair from 6000 upwards. See freeRtpPortPair().
   */
  mediaPort?: number;
  /** -rtp_echo: send every datagram arriving on mediaPort (and +2) back to its sender. */
  rtpEcho?: boolean;
  /**
   * The `[rtp_stream]` key of rtp-uac.xml (`-key rtp_stream FILE,LOOPS,PT`): a raw G.711 file
   * (8 kHz, 160 bytes per 20 ms packet; see g711-tone.ts), LOOPS (default −1: until the call
   * ends) and the payload type (default 0, PCMU; 8 for an A-law file).
   */
  rtpStream?: { file: string; loops?: number; payloadType?: number };
  /** Appended as-is. */
  extraArgs?: readonly string[];
}

export interface SippRunFiles {
  scenario: string;
  localPort: number | undefined;
  injection: string | undefined;
  files: { stats: string; messages?: string | undefined; errors: string; screen: string };
}

function remoteArg(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

export function sippArgs(o: SippOptions, run: SippRunFiles): string[] {
  const ip = o.localIp ?? '127.0.0.1';
  const a: string[] = [];
  if (o.remote !== undefined) a.push(remoteArg(o.remote.host, o.remote.port));
  a.push('-sf', run.scenario, '-i', ip, '-mi', o.mediaIp ?? ip, '-ci', ip, '-t', o.transport ?? 'u1');
  a.push('-nostdin');
  const opt = (flag: string, v: number | string | undefined): void => {
    if (v !== undefined) a.push(flag, String(v));
  };
  opt('-p', run.localPort);
  opt('-cp', o.controlPort);
  opt('-m', o.calls);
  opt('-r', o.rate);
  opt('-rp', o.ratePeriodMs === undefined ? undefined : `${o.ratePeriodMs}ms`);
  opt('-l', o.maxConcurrent);
  opt('-d', o.pauseMs);
  opt('-s', o.service);
  opt('-inf', typeof o.injection === 'string' ? o.injection : run.injection);
  opt('-max_recv_loops', o.maxRecvLoops);
  opt('-max_sched_loops', o.maxSchedLoops);
  opt('-recv_timeout', o.recvTimeoutMs === undefined ? undefined : `${o.recvTimeoutMs}ms`);
  opt('-max_retrans', o.maxRetrans);
  opt('-buff_size', o.bufferSize);
  opt('-mp', o.mediaPort);
  if (o.rtpEcho === true) a.push('-rtp_echo');
  if (o.timeoutMs !== undefined) {
    a.push('-timeout', `${o.timeoutMs}ms`);
    if (o.timeoutIsError ?? true) a.push('-timeout_error');
  }
  if (o.rtpStream !== undefined) {
    const { file, loops, payloadType } = o.rtpStream;
    if (file.includes(',')) throw new Error(`sipp's rtp_stream cannot name a file with a comma: ${file}`);
    a.push('-key', 'rtp_stream', `${file},${loops ?? -1},${payloadType ?? 0}`);
  }
  for (const [k, v] of Object.entries(o.keys ?? {})) a.push('-key', k, v);
  for (const [k, v] of Object.entries(o.sets ?? {})) a.push('-set', k, v);
  a.push('-trace_stat', '-stf', run.files.stats, '-fd', '3600');
  a.push('-trace_err', '-error_file', run.files.errors);
  a.push('-trace_screen', '-screen_file', run.files.screen);
  if (run.files.messages !== undefined) a.push('-trace_msg', '-message_file', run.files.messages);
  a.push(...(o.extraArgs ?? []));
  return a;
}
