/** Paths inside the repository, valid both from test/ sources and compiled dist/test/. */
import { existsSync } from 'node:fs';
import path from 'node:path';

function findRoot(start: string): string {
  let dir = start;
  while (!existsSync(path.join(dir, 'package.json'))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`no package.json above ${start}`);
    dir = up;
  }
  return dir;
}

/** The root of the compiled tree has no package.json, so this finds the repository root. */
export const repoRoot = findRoot(__dirname);
export const palisadeBin = path.join(repoRoot, 'bin', 'palisade');
export const examplesDir = path.join(repoRoot, 'deploy', 'examples');
