/** `palisade check-config FILE`: validate a configuration (with environment overrides) and exit. */
import { ConfigError, loadConfig, redactConfig } from '../../config';
import { parseCommandArgs, type OptionSpec } from '../args';
import { EXIT_FAILURE, EXIT_OK, UsageError } from '../usage-error';
import type { CommandIo } from './command';

export const CHECK_CONFIG_HELP = `Usage: palisade check-config FILE [--print]

Validates FILE (YAML) with PALISADE_* environment overrides applied, the same way
'palisade start' does, and reports every problem as "key.path: reason".

Options:
  --print     print the effective configuration (secrets redacted) as JSON
  -h, --help  show this help

Exit codes: 0 valid, 1 invalid, 2 usage error or unreadable file.`;

const OPTIONS: OptionSpec = { print: { type: 'boolean' } };

export function checkConfigCommand(argv: readonly string[], io: CommandIo): number {
  const args = parseCommandArgs('check-config', argv, OPTIONS, 1);
  if (args.values.help) {
    io.out(CHECK_CONFIG_HELP);
    return EXIT_OK;
  }
  const file = args.positionals[0];
  if (file === undefined) throw new UsageError('check-config: missing FILE argument');
  try {
    const config = loadConfig({ file });
    if (args.values.print) io.out(JSON.stringify(redactConfig(config), null, 2));
    io.out(
      `${file}: OK (${config.sip.listen.length} listeners, ${config.trunks.length} trunks, ${config.routes.length} routes)`,
    );
    return EXIT_OK;
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    if (e.code === 'CONFIG_FILE') throw new UsageError(`check-config: ${e.message}`);
    io.err(`${file}: invalid configuration`);
    for (const issue of e.issues) io.err(`  ${issue.path}: ${issue.message}`);
    return EXIT_FAILURE;
  }
}
