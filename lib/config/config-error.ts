/**
 * The one error type configuration loading throws. It carries every problem found (never just the
 * first), each naming the key path (`trunks[2].outbound.gateways[0].uri`), the environment
 * variable, or the file position it concerns.
 */
import { PalisadeError } from '../util/errors';

export type ConfigErrorCode =
  /** The document was read and parsed but does not describe a valid configuration. */
  | 'CONFIG_INVALID'
  /** The configuration file could not be read. */
  | 'CONFIG_FILE'
  /** The configuration file is not well-formed YAML. */
  | 'CONFIG_YAML';

export interface ConfigIssue {
  /** Key path (`sip.listen[0].port`), environment variable name, or `file:line:column`. */
  path: string;
  /** Why it is wrong, in words an operator can act on. Never contains a secret's value. */
  message: string;
  /** 1-based position in the YAML text, for CONFIG_YAML issues. */
  line?: number;
  column?: number;
}

export class ConfigError extends PalisadeError {
  override readonly code: ConfigErrorCode;
  readonly issues: readonly ConfigIssue[];

  constructor(code: ConfigErrorCode, issues: readonly ConfigIssue[]) {
    super(code, issues.map((issue) => `${issue.path}: ${issue.message}`).join('\n'));
    this.code = code;
    this.issues = issues;
  }
}

/** `['trunks', 2, 'outbound']` → `trunks[2].outbound`; the empty path is `(root)`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out === '' ? String(segment) : `.${String(segment)}`;
  }
  return out === '' ? '(root)' : out;
}
