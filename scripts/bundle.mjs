// Bundles the main entry for browsers (esbuild), prints its size minified and gzipped, and
// fails the build when it is over budget or pulls in a Node built-in.
import { mkdirSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

// 48 KB (was 40) since the main entry holds DKIM signing and verification (issue #14) and the
// WebAssembly big-number module (1.8 KB gzipped, src/core/bignum-wasm-bytes.ts, issue #18). The SES
// backend is browser-safe too but lives in its own entry (`dkim-engine/ses`), checked here for
// Node built-ins and measured, so dashboards that only verify do not carry it.
export const BUDGET_BYTES = 48 * 1024;
const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Bundles `entry` for the browser; returns the code, its gzipped size and the inputs. */
export async function bundleForBrowser(entry = join(root, 'dist/index.js')) {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0].contents;
  const inputs = Object.keys(result.metafile.inputs);
  const builtins = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));
  const nodeImports = Object.values(result.metafile.inputs)
    .flatMap((input) => input.imports)
    .filter((imported) => builtins.has(imported.path) || imported.path.startsWith('node:'));
  return { code, minified: code.length, gzipped: gzipSync(code, { level: 9 }).length, inputs, nodeImports };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const bundle = await bundleForBrowser();
  const out = join(root, 'dist/browser/dkim-engine.min.js');
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, bundle.code);
  const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
  console.log(
    `browser bundle (main entry): ${kb(bundle.minified)} minified, ${kb(bundle.gzipped)} min+gzip (budget ${kb(BUDGET_BYTES)})`,
  );
  if (bundle.nodeImports.length > 0) {
    console.error(`the browser bundle imports Node built-ins: ${bundle.nodeImports.map((i) => i.path).join(', ')}`);
    process.exit(1);
  }
  const ses = await bundleForBrowser(join(root, 'dist/ses.js'));
  console.log(`browser bundle (./ses entry): ${kb(ses.minified)} minified, ${kb(ses.gzipped)} min+gzip`);
  if (ses.nodeImports.length > 0) {
    console.error(`the ./ses bundle imports Node built-ins: ${ses.nodeImports.map((i) => i.path).join(', ')}`);
    process.exit(1);
  }
  if (bundle.gzipped > BUDGET_BYTES) {
    console.error(`the browser bundle is over its budget of ${kb(BUDGET_BYTES)}`);
    process.exit(1);
  }
}
