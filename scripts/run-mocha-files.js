// Runs each integration test file in its own mocha process (they start real engines, sipp,
// rtpengine and redis-server; one process per file keeps one file's leftovers — timers, sockets,
// GC pressure — from skewing the next file's timing), then prints one overall summary line.
const { spawnSync } = require('node:child_process');
const { readdirSync, statSync } = require('node:fs');
const path = require('node:path');

function testFiles(dir) {
  let out = [];
  for (const name of readdirSync(dir).sort()) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) out = out.concat(testFiles(full));
    else if (name.endsWith('.test.js')) out.push(full);
  }
  return out;
}

const roots = process.argv.slice(2);
const files = roots.flatMap((r) => {
  try {
    return testFiles(r);
  } catch {
    return [];
  }
});
let passed = 0;
let failed = 0;
const failedFiles = [];
for (const file of files) {
  const r = spawnSync(
    process.execPath,
    [require.resolve('mocha/bin/mocha.js'), '--config', '.mocharc.json', '--timeout', '60000', file],
    { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  process.stdout.write(r.stdout);
  const pass = /(\d+) passing/.exec(r.stdout);
  const fail = /(\d+) failing/.exec(r.stdout);
  passed += pass ? Number(pass[1]) : 0;
  failed += fail ? Number(fail[1]) : 0;
  if (r.status !== 0) {
    failedFiles.push(file);
    if (!fail) failed += 1; // a crash or a file that could not run counts as a failure
  }
}
if (failedFiles.length) process.stdout.write(`\nFailed files:\n  ${failedFiles.join('\n  ')}\n`);
process.stdout.write(`\nintegration: ${passed} passed, ${failed} failed\n`);
process.exit(failed > 0 || files.length === 0 ? 1 : 0);
