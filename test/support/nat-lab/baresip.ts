/**
 * A real softphone in the lab: Debian `baresip-core` 1.0, headless. Audio comes from a WAV file
 * (aufile, 8 kHz mono 16-bit, a tone written here), audio out goes nowhere (aubridge,nil); the
 * `menu` module takes the `-e "/dial …"` command and `-t N` quits after N seconds.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Home, Lab } from './lab';
import type { NsProcess } from './netns';

export const BARESIP_BIN = '/usr/bin/baresip';

export function baresipAvailable(): boolean {
  return existsSync(BARESIP_BIN) && existsSync('/usr/lib/baresip/modules/aufile.so');
}

/** A RIFF/WAVE file: PCM 16-bit mono 8 kHz sine tone. */
export function writeToneWav(file: string, seconds = 2, hz = 440): string {
  const rate = 8000;
  const samples = rate * seconds;
  const data = Buffer.alloc(samples * 2);
  for (let i = 0; i < samples; i++)
    data.writeInt16LE(Math.round(8000 * Math.sin((2 * Math.PI * hz * i) / rate)), i * 2);
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVEfmt ', 8, 'ascii');
  header.writeUInt32LE(16, 16); // fmt chunk size
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(1, 22); // mono
  header.writeUInt32LE(rate, 24);
  header.writeUInt32LE(rate * 2, 28); // byte rate
  header.writeUInt16LE(2, 32); // block align
  header.writeUInt16LE(16, 34); // bits per sample
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(data.length, 40);
  writeFileSync(file, Buffer.concat([header, data]));
  return file;
}

export interface BaresipOptions {
  /** The account's AOR, e.g. `sip:alice@203.0.113.10`. */
  aor: string;
  /** Password for digest authentication; with `register` the account registers every `regint` s. */
  password?: string;
  register?: boolean;
  /** Commands run at start, e.g. `/dial sip:15550001@203.0.113.10`. */
  commands?: readonly string[];
  /** Quit after this many seconds. */
  quitAfterSeconds: number;
  rtpPort: number;
}

/** Write a config directory for a UA behind `home`. */
export function baresipConfig(home: Home, o: BaresipOptions): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'palisade-baresip-'));
  // longer than any call: aufile's end of file ends the call (menu: "audio error")
  const wav = writeToneWav(path.join(dir, 'tone.wav'), 60);
  const modules = ['g711', 'aufile', 'aubridge'];
  writeFileSync(
    path.join(dir, 'config'),
    [
      'poll_method epoll',
      `sip_listen ${home.ua}:5060`,
      `audio_source aufile,${wav}`,
      'audio_player aubridge,nil',
      'audio_alert aubridge,nil',
      `rtp_ports ${o.rtpPort}-${o.rtpPort + 1}`,
      'module_path /usr/lib/baresip/modules',
      ...modules.map((m) => `module ${m}.so`),
      'module_app account.so',
      'module_app menu.so',
      '',
    ].join('\n'),
  );
  const params = [
    o.password === undefined ? '' : `;auth_pass=${o.password}`,
    `;regint=${o.register === true ? 60 : 0}`,
  ].join('');
  writeFileSync(path.join(dir, 'accounts'), `<${o.aor}>${params}\n`);
  return dir;
}

export function startBaresip(lab: Lab, home: Home, o: BaresipOptions): NsProcess {
  const dir = baresipConfig(home, o);
  const args = ['-4', '-f', dir, '-t', String(o.quitAfterSeconds)];
  for (const c of o.commands ?? []) args.push('-e', c);
  return lab.spawn(home.uaNs, BARESIP_BIN, args);
}
