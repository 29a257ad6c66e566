/* global module */
/**
 * `npm run check:cycles` (part of `npm test`): fails on any import cycle in src/, engine/ or
 * scenarios/, type-only imports included (a cycle of types is still a knot a reader must untie).
 */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Import cycle: move the shared piece into a module both sides import, or invert the dependency.',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '(^|/)node_modules/' },
  },
};
