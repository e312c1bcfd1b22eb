/** Version and commit, from package.json and the build stamp written by `npm run build`. */
import { readFileSync } from 'node:fs';
import path from 'node:path';

export interface BuildInfo {
  version: string;
  commit: string;
  node: string;
}

const repoRoot = path.resolve(__dirname, '..', '..', '..');

function readJson(file: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

export function buildInfo(): BuildInfo {
  const pkg = readJson(path.join(repoRoot, 'package.json'));
  const stamp = readJson(path.join(repoRoot, 'dist', 'build-info.json'));
  return {
    version: typeof pkg?.version === 'string' ? pkg.version : 'unknown',
    commit: typeof stamp?.commit === 'string' ? stamp.commit : 'unknown',
    node: process.version,
  };
}
