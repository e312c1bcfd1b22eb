/**
 * Reading the configuration text and parsing it as YAML into a plain document. File problems and
 * YAML syntax errors (all of them, with line and column) become ConfigErrors here.
 */
import { parseDocument } from 'yaml';
import { ConfigError, type ConfigIssue } from './config-error';
import { describeFsError } from './secret';

export function readConfigFile(path: string, readFile: (path: string) => string): string {
  try {
    return readFile(path);
  } catch (thrown) {
    throw new ConfigError('CONFIG_FILE', [
      { path, message: `cannot read configuration file (${describeFsError(thrown)})` },
    ]);
  }
}

/** Parse YAML text to a mapping; an empty document is an empty mapping. */
export function parseConfigYaml(text: string, sourceName: string): Record<string, unknown> {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new ConfigError(
      'CONFIG_YAML',
      doc.errors.map((e) => yamlIssue(e, sourceName)),
    );
  }
  const value: unknown = doc.toJS({ maxAliasCount: 100 });
  if (value === null || value === undefined) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new ConfigError('CONFIG_INVALID', [
      { path: '(root)', message: 'the configuration must be a mapping of keys to values' },
    ]);
  }
  return value as Record<string, unknown>;
}

function yamlIssue(
  error: { message: string; linePos?: [{ line: number; col: number }, ...unknown[]] },
  source: string,
): ConfigIssue {
  const position = error.linePos?.[0];
  const reason = (error.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '');
  if (position === undefined) return { path: source, message: `YAML syntax error: ${reason}` };
  return {
    path: `${source}:${position.line}:${position.col}`,
    message: `YAML syntax error: ${reason}`,
    line: position.line,
    column: position.col,
  };
}
