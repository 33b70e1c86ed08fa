// Bundles the action into dist/index.js so it runs without `npm install`.
// `node build.mjs [outfile]`; the tests rebuild into a temp file to prove dist/ is current.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const here = path.dirname(fileURLToPath(import.meta.url));

export async function bundle(outfile = path.join(here, 'dist', 'index.js')) {
  await esbuild.build({
    absWorkingDir: here,
    entryPoints: ['src/index.js'],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    outfile,
    legalComments: 'linked',
    logLevel: 'warning',
    // Some bundled dependencies are CommonJS and call require() on Node's built-ins.
    banner: { js: "import { createRequire as __rolloutCreateRequire } from 'node:module'; const require = __rolloutCreateRequire(import.meta.url);" },
  });
  return outfile;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await bundle(process.argv[2]);
}
