/**
 * `node ng-list-cli.js HOST PORT`: sends rtpengine's ng `list` command (bencode over UDP, a cookie
 * before the dictionary) and prints the reply as JSON. Run inside the lab's `infra` namespace,
 * which the test process itself cannot reach. A deliberately tiny bencode: strings, integers,
 * lists and dictionaries, which is all an ng reply holds.
 */
import dgram from 'node:dgram';

type Bencoded = string | number | Bencoded[] | { [key: string]: Bencoded };

function decode(buf: Buffer, at: number): [Bencoded, number] {
  const c = String.fromCharCode(buf[at] ?? 0);
  if (c === 'i') {
    const end = buf.indexOf('e', at);
    return [Number(buf.subarray(at + 1, end).toString()), end + 1];
  }
  if (c === 'l' || c === 'd') {
    const items: Bencoded[] = [];
    let i = at + 1;
    while (buf[i] !== 'e'.charCodeAt(0)) {
      if (i >= buf.length) throw new Error('truncated bencode');
      const [item, next] = decode(buf, i);
      items.push(item);
      i = next;
    }
    if (c === 'l') return [items, i + 1];
    const dict: Record<string, Bencoded> = {};
    for (let k = 0; k + 1 < items.length; k += 2) {
      const key = items[k];
      if (typeof key !== 'string') throw new Error(`bencode dictionary key at ${at} is not a string`);
      dict[key] = items[k + 1] ?? '';
    }
    return [dict, i + 1];
  }
  const colon = buf.indexOf(':', at);
  const len = Number(buf.subarray(at, colon).toString());
  if (!Number.isInteger(len)) throw new Error(`bad bencode at ${at}`);
  return [buf.subarray(colon + 1, colon + 1 + len).toString(), colon + 1 + len];
}

function main(): void {
  const [host, port] = process.argv.slice(2);
  if (host === undefined || port === undefined) throw new Error('usage: ng-list-cli HOST PORT');
  const cookie = `list-${process.pid}`;
  const socket = dgram.createSocket('udp4');
  const timer = setTimeout(() => {
    process.stderr.write(`no ng reply from ${host}:${port}\n`);
    process.exit(2);
  }, 3000);
  socket.on('message', (msg) => {
    const space = msg.indexOf(' ');
    if (msg.subarray(0, space).toString() !== cookie) return;
    clearTimeout(timer);
    const [reply] = decode(msg, space + 1);
    process.stdout.write(`${JSON.stringify(reply)}\n`);
    socket.close();
  });
  socket.send(`${cookie} d7:command4:list5:limiti10000ee`, Number(port), host);
}

main();
