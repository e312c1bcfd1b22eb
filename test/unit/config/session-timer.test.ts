/**
 * Session timer settings (RFC 4028): `engine.sessionTimer` (Min-SE and the §9 default refresher
 * of the callers' legs) and `trunks[].outbound.sessionTimer.minSe`, and `palisade engine` taking
 * them from its config file.
 */
import assert from 'node:assert/strict';
import { engineSettings } from '../../../lib/cli/engine-settings';
import { assertIssue, load } from './helpers';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const trunk = (st: string): string =>
  [
    'trunks:',
    `  - { name: carrier, outbound: { gateways: [ { uri: "sip:192.0.2.10" } ], sessionTimer: ${st} } }`,
  ].join('\n');

describe('config: session timers', () => {
  it('defaults: Min-SE 90, the caller refreshes when it names no refresher', () => {
    const { engine } = load('');
    assert.ok(engine.mode === 'embedded');
    assert.deepEqual(engine.sessionTimer, { minSe: 90, defaultRefresher: 'uac', refreshMethod: 'auto' });
  });

  it('takes a refresh method (invite | update | auto) and refuses others', () => {
    const { engine } = load('engine: { sessionTimer: { refreshMethod: invite } }');
    assert.ok(engine.mode === 'embedded');
    assert.equal(engine.sessionTimer.refreshMethod, 'invite');
    assertIssue(
      'engine: { sessionTimer: { refreshMethod: options } }',
      'engine.sessionTimer.refreshMethod',
      'update',
    );
  });

  it('takes a Min-SE and refresher, and refuses a Min-SE below RFC 4028’s 90 s', () => {
    const { engine } = load('engine: { sessionTimer: { minSe: 300, defaultRefresher: none } }');
    assert.ok(engine.mode === 'embedded');
    assert.deepEqual(engine.sessionTimer, { minSe: 300, defaultRefresher: 'none', refreshMethod: 'auto' });
    assertIssue('engine: { sessionTimer: { minSe: 30 } }', 'engine.sessionTimer.minSe', '90');
    assertIssue(
      'engine: { sessionTimer: { defaultRefresher: caller } }',
      'engine.sessionTimer.defaultRefresher',
      'uac',
    );
  });

  it('per trunk: Min-SE 90 by default, never above the interval', () => {
    const st = load(trunk('{ seconds: 600 }')).trunks[0]?.outbound?.sessionTimer;
    assert.deepEqual(st, { seconds: 600, refresher: 'sbc', minSe: 90 });
    const set = load(trunk('{ seconds: 600, minSe: 300 }')).trunks[0]?.outbound?.sessionTimer;
    assert.equal(set?.minSe, 300);
    assertIssue(trunk('{ seconds: 120, minSe: 300 }'), 'trunks[0].outbound.sessionTimer.minSe', 'exceed');
  });

  it('palisade engine --config passes them to the engine', () => {
    const dir = mkdtempSync(join(tmpdir(), 'palisade-st-'));
    const file = join(dir, 'c.yaml');
    try {
      writeFileSync(file, 'engine: { control: { secret: s3cret }, sessionTimer: { minSe: 120 } }\n');
      const settings = engineSettings({ values: { config: file }, positionals: [] });
      assert.deepEqual(settings.sessionTimer, { minSe: 120, defaultRefresher: 'uac', refreshMethod: 'auto' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
