// Builds the web console (src/console) into dist/console/{index.html,console.js,console.css} with
// esbuild, prints its size minified and gzipped, and fails when it is over budget or pulls in Node.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { transform } from 'esbuild';
import { bundleForBrowser } from './bundle.mjs';

/** The console's budget, page script, styles and markup together, min+gzip. */
export const CONSOLE_BUDGET_BYTES = 64 * 1024;
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const source = join(root, 'src/console');

/** Builds the console; returns its files and their sizes. */
export async function buildConsole(out = join(root, 'dist/console')) {
  const script = await bundleForBrowser(join(source, 'main.ts'));
  const css = await transform(readFileSync(join(source, 'console.css'), 'utf8'), { loader: 'css', minify: true });
  const html = readFileSync(join(source, 'index.html'), 'utf8');
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'console.js'), script.code);
  writeFileSync(join(out, 'console.css'), css.code);
  writeFileSync(join(out, 'index.html'), html);
  const files = [script.code, new TextEncoder().encode(css.code), new TextEncoder().encode(html)];
  const minified = files.reduce((sum, f) => sum + f.length, 0);
  const gzipped = files.reduce((sum, f) => sum + gzipSync(f, { level: 9 }).length, 0);
  return { minified, gzipped, nodeImports: script.nodeImports, inputs: script.inputs };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const built = await buildConsole();
  const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
  console.log(
    `web console (dist/console): ${kb(built.minified)} minified, ${kb(built.gzipped)} min+gzip (budget ${kb(CONSOLE_BUDGET_BYTES)})`,
  );
  if (built.nodeImports.length > 0) {
    console.error(`the console imports Node built-ins: ${built.nodeImports.map((i) => i.path).join(', ')}`);
    process.exit(1);
  }
  if (built.gzipped > CONSOLE_BUDGET_BYTES) {
    console.error(`the console is over its budget of ${kb(CONSOLE_BUDGET_BYTES)}`);
    process.exit(1);
  }
}
