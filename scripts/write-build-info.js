// Stamps dist/build-info.json with the git commit so /metrics can report palisade_build_info.
const { execFileSync } = require('node:child_process');
const { mkdirSync, writeFileSync } = require('node:fs');
const path = require('node:path');

let commit = 'unknown';
try {
  commit = execFileSync('git', ['rev-parse', '--short=12', 'HEAD'], { stdio: ['ignore', 'pipe', 'ignore'] })
    .toString()
    .trim();
} catch {
  // not a git checkout (e.g. a tarball): keep "unknown"
}
const dist = path.join(__dirname, '..', 'dist');
mkdirSync(dist, { recursive: true });
writeFileSync(
  path.join(dist, 'build-info.json'),
  JSON.stringify({ commit, builtAt: new Date().toISOString() }) + '\n',
);
