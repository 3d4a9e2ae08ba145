// The architecture, checked by tests/architecture.test.ts: data flows one way, so a module may
// import only from its own layer or a lower one, and nothing may form a cycle. Layers, lowest
// first; a folder of src/ (or a top-level file) belongs to exactly one.
const layers = [
  ['types', 'syntax', 'verdicts', 'errors', 'memo', 'suggest', 'tool'],
  ['io', 'config'],
  ['collect'],
  ['extract'],
  ['plan'],
  ['net'],
  ['resolve'],
  ['rules'],
  ['report', 'rot'],
  ['fix'],
  ['check'],
  ['index'],
  ['cli'],
  ['action'],
];

/** `^src/(name/|name\.ts$)` for each name. */
const pathOf = (names) => `^src/(${names.map((name) => `${name}/|${name}\\.ts$`).join('|')})`;

const upward = layers.flatMap((names, level) => {
  const higher = layers.slice(level + 1).flat();
  return higher.length === 0
    ? []
    : [
        {
          name: `layer-${names.join('-')}`,
          comment: `${names.join(', ')} may not import from a higher layer (${higher.join(', ')})`,
          severity: 'error',
          from: { path: pathOf(names) },
          to: { path: pathOf(higher) },
        },
      ];
});

module.exports = {
  forbidden: [
    ...upward,
    {
      name: 'no-circular',
      comment: 'No import cycles',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'rules-not-net',
      comment: 'Rules read results through src/types.ts, never the HTTP engine itself',
      severity: 'error',
      from: { path: '^src/(rules|report|rot)/' },
      to: { path: '^src/net/' },
    },
    {
      name: 'library-not-cli',
      comment: 'The library entry never loads the command line',
      severity: 'error',
      from: { path: '^src/index\\.ts$' },
      to: { path: '^src/(cli|action)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
  layers,
};
