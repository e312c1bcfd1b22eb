/** `palisade` command dispatcher: one-line errors and exit code 2 for usage problems. */
import { toError } from '../util/errors';
import { checkConfigCommand, CHECK_CONFIG_HELP } from './commands/check-config';
import { drainCommand, DRAIN_HELP } from './commands/drain';
import { engineCommand, ENGINE_HELP } from './commands/engine';
import { natCommand, NAT_HELP } from './commands/nat';
import { processIo, type CommandIo } from './commands/command';
import { startCommand, START_HELP } from './commands/start';
import { versionCommand, VERSION_HELP } from './commands/version';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, UsageError } from './usage-error';

export const MAIN_HELP = `Usage: palisade <command> [options]

Palisade session border controller.

Commands:
  start [--config FILE]    run the SBC
  engine [options]         run only the SIP engine (drop-in for drachtio-server)
  drain [options]          drain a running instance (stop taking calls, exit when done)
  check-config FILE        validate a configuration file and exit
  nat alg-suspects|flows   SIP ALG suspects / kept-alive NATed flows of a running instance
  version                  print version information
  help [COMMAND]           show help for a command

Run 'palisade <command> --help' for a command's options.`;

type Command = (argv: readonly string[], io: CommandIo) => number | Promise<number>;

const COMMANDS: Record<string, { run: Command; help: string }> = {
  start: { run: startCommand, help: START_HELP },
  engine: { run: engineCommand, help: ENGINE_HELP },
  drain: { run: drainCommand, help: DRAIN_HELP },
  'check-config': { run: checkConfigCommand, help: CHECK_CONFIG_HELP },
  nat: { run: natCommand, help: NAT_HELP },
  version: { run: versionCommand, help: VERSION_HELP },
};

export async function runCli(argv: readonly string[], io: CommandIo): Promise<number> {
  const [name, ...rest] = argv;
  try {
    if (name === undefined || name === '--help' || name === '-h') {
      io.out(MAIN_HELP);
      return name === undefined ? EXIT_USAGE : EXIT_OK;
    }
    if (name === 'help') {
      const topic = rest[0];
      const entry = topic === undefined ? undefined : COMMANDS[topic];
      if (topic !== undefined && !entry) throw new UsageError(`help: unknown command '${topic}'`);
      io.out(entry ? entry.help : MAIN_HELP);
      return EXIT_OK;
    }
    if (name === '--version') return versionCommand([], io);
    const command = COMMANDS[name];
    if (!command) throw new UsageError(`unknown command '${name}' (try 'palisade --help')`);
    return await command.run(rest, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`palisade: ${e.message}`);
      return EXIT_USAGE;
    }
    io.err(`palisade: ${toError(e).message}`);
    return EXIT_FAILURE;
  }
}

export function main(argv: readonly string[]): void {
  // Exit explicitly: library timers (e.g. srf reconnects) must not keep a stopped process alive.
  void runCli(argv, processIo).then((code) => {
    process.exit(code);
  });
}
