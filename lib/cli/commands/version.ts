/** `palisade version`. */
import { buildInfo } from '../build-info';
import { parseCommandArgs } from '../args';
import { EXIT_OK } from '../usage-error';
import type { CommandIo } from './command';

export const VERSION_HELP = `Usage: palisade version

Prints the Palisade version, the git commit it was built from and the Node.js version.`;

export function versionCommand(argv: readonly string[], io: CommandIo): number {
  const args = parseCommandArgs('version', argv, {}, 0);
  if (args.values.help) io.out(VERSION_HELP);
  else {
    const b = buildInfo();
    io.out(`palisade ${b.version} (commit ${b.commit}, node ${b.node})`);
  }
  return EXIT_OK;
}
