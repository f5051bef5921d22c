// Assembles scripts/bignum.wat into src/core/bignum-wasm-bytes.ts (committed), so that neither
// the build nor the browser needs a WebAssembly toolchain. Run: node scripts/build-wasm.mjs
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import wabtFactory from 'wabt';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const source = readFileSync(join(root, 'scripts/bignum.wat'), 'utf8');
const wabt = await wabtFactory();
const parsed = wabt.parseWat('bignum.wat', source, { bulk_memory: true });
parsed.resolveNames();
parsed.validate();
const { buffer } = parsed.toBinary({ log: false, write_debug_names: false });
parsed.destroy();
// Hex rather than base64: each byte stays two characters, so gzip still sees the module's
// repetitions (1.8 KB gzipped against 2.2 KB for base64).
const hex = Buffer.from(buffer).toString('hex');
const out = join(root, 'src/core/bignum-wasm-bytes.ts');
writeFileSync(
  out,
  `// The WebAssembly big-number module (${buffer.length} bytes), generated from scripts/bignum.wat by
// scripts/build-wasm.mjs: do not edit by hand.
export const BIGNUM_WASM_HEX =
  '${hex}';
`,
);
console.log(`${out}: ${buffer.length} bytes of WebAssembly`);
