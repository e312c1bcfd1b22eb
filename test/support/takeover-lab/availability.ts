/**
 * The takeover lab needs the NAT lab's conditions (root, `ip netns`, iptables, sipp) plus the
 * programs it runs on its hosts. `requireTakeoverLab(this)` in a mocha `before` skips the suite
 * with a printed reason when something is missing.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { requireNatLab } from '../nat-lab/availability';

const PROGRAMS = ['redis-server', 'redis-cli', 'rtpengine', 'curl'];

function onPath(program: string): boolean {
  return (process.env.PATH ?? '').split(path.delimiter).some((dir) => existsSync(path.join(dir, program)));
}

export async function requireTakeoverLab(ctx: Mocha.Context): Promise<void> {
  await requireNatLab(ctx);
  const missing = PROGRAMS.filter((p) => !onPath(p));
  if (missing.length > 0) {
    console.log(`      takeover lab skipped: missing ${missing.join(', ')}`);
    ctx.skip();
  }
}
