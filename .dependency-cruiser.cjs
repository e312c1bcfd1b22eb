/** Layering rules from DESIGN.md: dependencies point downward only, one home per outside library. */
const only = (name, lib, home) => ({
  name,
  severity: 'error',
  comment: `${lib} may only be imported from ${home}`,
  from: { path: '^lib/', pathNot: `^${home}` },
  to: { path: `node_modules/${lib}/` },
});

module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', from: {}, to: { circular: true } },
    {
      name: 'util-is-a-leaf',
      severity: 'error',
      from: { path: '^lib/util/' },
      to: { path: '^lib/', pathNot: '^lib/util/' },
    },
    {
      name: 'sip-model-is-pure',
      comment: 'lib/sip (message model) has no I/O and depends only on util',
      severity: 'error',
      from: { path: '^lib/sip/[^/]+$' },
      to: { path: ['^lib/(?!util/|sip/[^/]+$)', '^(dgram|net|tls|http|https|fs|child_process)$'] },
    },
    {
      name: 'sip-stack-stays-below-engine',
      severity: 'error',
      from: { path: '^lib/sip/' },
      to: { path: '^lib/(engine|sbc|state|media|cli|config)/' },
    },
    {
      name: 'sbc-reaches-engine-only-over-the-wire',
      severity: 'error',
      from: { path: '^lib/sbc/' },
      to: { path: ['^lib/engine/', '^lib/sip/(transport|transaction|dialog)/', '^lib/cli/'] },
    },
    {
      name: 'engine-does-not-know-the-app',
      severity: 'error',
      from: { path: '^lib/engine/' },
      to: { path: ['^lib/(sbc|state|media|cli)/'] },
    },
    {
      name: 'cli-is-the-composition-root',
      severity: 'error',
      from: { path: '^lib/(?!cli/)' },
      to: { path: '^lib/cli/' },
    },
    {
      name: 'lower-layers-do-not-import-upper',
      severity: 'error',
      from: { path: '^lib/(config|observe|state|media)/' },
      to: { path: '^lib/(sbc|engine|cli)/' },
    },
    only('ioredis-only-in-state', 'ioredis', 'lib/state/'),
    only('rtpengine-client-only-in-media', 'rtpengine-client', 'lib/media/'),
    only('prom-client-only-in-observe', 'prom-client', 'lib/observe/'),
    only('drachtio-srf-only-in-sbc', 'drachtio-srf', 'lib/sbc/'),
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
    },
  },
};
