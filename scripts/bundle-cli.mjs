// Bundles the command line (src/cli/bin.ts) and the parse pool's worker (src/extract/parse-worker.ts)
// with their dependencies into dist/bundle/, split into shared chunks so a command loads only what
// it runs. Node resolves and loads a few hundred modules for the compiled tree; the bundle is a
// handful of files, which is most of a small run's start-up. `npm run build` runs this after tsc.
import { rmSync } from 'node:fs';
import { build } from 'esbuild';

const root = new URL('../', import.meta.url);
// Chunk names carry a hash: a stale one must not stay behind.
rmSync(new URL('dist/bundle/', root), { recursive: true, force: true });

await build({
  absWorkingDir: root.pathname,
  entryPoints: ['src/cli/bin.ts', 'src/extract/parse-worker.ts'],
  outdir: 'dist/bundle',
  outbase: 'src',
  entryNames: '[dir]/[name]',
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  splitting: true,
  platform: 'node',
  format: 'esm',
  target: 'node20.19',
  legalComments: 'eof',
  charset: 'utf8',
  logLevel: 'warning',
  // Tinypool starts its workers from its own files (entry/worker.js beside it), so it stays in node_modules.
  external: ['tinypool'],
  // CommonJS dependencies inside an ES module bundle still call `require` for Node's own modules.
  banner: {
    js: "import { createRequire as __waymarkCreateRequire } from 'node:module';\nconst require = __waymarkCreateRequire(import.meta.url);",
  },
});
