/**
 * loadConfig: text (file, given YAML, or the built-in quick start) → YAML document → environment
 * overrides → schema validation with secrets resolved → Config. Every problem found on the way is
 * collected and thrown together as one ConfigError, so nothing starts half-configured.
 */
import { readFileSync } from 'node:fs';
import { ConfigError, type ConfigIssue } from './config-error';
import { QUICKSTART_YAML } from './defaults';
import { applyEnvOverrides, CONFIG_FILE_VARIABLE } from './env-overrides';
import { configErrorMap, toConfigIssues } from './issues';
import { buildConfigSchema, type Config } from './schema/root';
import { parseConfigYaml, readConfigFile } from './yaml-source';

export interface LoadConfigOptions {
  /** YAML file to read; when absent, `PALISADE_CONFIG` from `env`; when both absent, the quick start. */
  file?: string;
  /** Environment for overrides and `{ env: NAME }` secrets; defaults to `process.env`. */
  env?: Record<string, string | undefined>;
  /** YAML text to use instead of reading `file` (which then only names the source in messages). */
  yamlText?: string;
  /** How files (the config and secret files) are read; defaults to UTF-8 from disk. */
  readFile?: (path: string) => string;
}

const readUtf8 = (path: string): string => readFileSync(path, 'utf8');

export function loadConfig(options: LoadConfigOptions = {}): Config {
  const env = options.env ?? process.env;
  const readFile = options.readFile ?? readUtf8;
  const file = options.file ?? nonEmpty(env[CONFIG_FILE_VARIABLE]);
  const sourceName = file ?? (options.yamlText === undefined ? '<quick start>' : '<yaml>');
  const text = options.yamlText ?? (file === undefined ? QUICKSTART_YAML : readConfigFile(file, readFile));
  const document = parseConfigYaml(text, sourceName);

  const schema = buildConfigSchema({ env, readFile });
  const overrides = applyEnvOverrides(document, schema, env);
  const result = schema.safeParse(document, { error: configErrorMap });
  const issues: ConfigIssue[] = [
    ...overrides.issues,
    ...(result.success ? [] : toConfigIssues(result.error.issues, schema, overrides.setBy)),
  ];
  if (issues.length > 0 || !result.success) throw new ConfigError('CONFIG_INVALID', issues);
  return result.data;
}

/** The built-in quick-start configuration (no file, no environment). */
export function defaultConfig(): Config {
  return loadConfig({ env: {} });
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}
