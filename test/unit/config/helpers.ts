/** Shared helpers for config tests: load from YAML text with an empty environment, capture errors. */
import assert from 'node:assert/strict';
import {
  ConfigError,
  loadConfig,
  type Config,
  type ConfigIssue,
  type LoadConfigOptions,
} from '../../../lib/config';

export function load(yamlText: string, options: Omit<LoadConfigOptions, 'yamlText'> = {}): Config {
  return loadConfig({ env: {}, ...options, yamlText });
}

/** Load expecting failure; returns the ConfigError. */
export function failure(yamlText: string | undefined, options: LoadConfigOptions = {}): ConfigError {
  try {
    loadConfig({ env: {}, ...options, ...(yamlText === undefined ? {} : { yamlText }) });
  } catch (thrown) {
    assert.ok(thrown instanceof ConfigError, `expected ConfigError, got ${String(thrown)}`);
    return thrown;
  }
  assert.fail('expected loadConfig to throw');
}

/** The issues of a failed load, as `path: message` lines. */
export function issueLines(yamlText: string, options: LoadConfigOptions = {}): string[] {
  return failure(yamlText, options).issues.map((i: ConfigIssue) => `${i.path}: ${i.message}`);
}

/** Assert that exactly one issue has this path, and that its message contains `reason`. */
export function assertIssue(
  yamlText: string,
  path: string,
  reason: string,
  options: LoadConfigOptions = {},
): void {
  const error = failure(yamlText, options);
  const matching = error.issues.filter((i) => i.path === path);
  assert.equal(matching.length, 1, `expected one issue at ${path}, got:\n${error.message}`);
  assert.ok(matching[0]!.message.includes(reason), `expected "${reason}" in "${matching[0]!.message}"`);
  assert.equal(error.code, 'CONFIG_INVALID');
}

/** A minimal valid trunk list for tests that need trunks to exist. */
export const TWO_TRUNKS = `
trunks:
  - name: carrier-a
    inbound: { sources: [198.51.100.0/28] }
    outbound: { gateways: [{ uri: "sip:198.51.100.2:5060" }] }
  - name: pbx-1
    inbound: { sources: [203.0.113.50] }
`;
