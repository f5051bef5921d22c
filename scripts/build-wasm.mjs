// Assembles scripts/bignum.wat into src/core/bignum-wasm-bytes.ts (committed), so that neither
// the build nor the browser needs a WebAssembly toolchain. Run: node scripts/build-wasm.mjs
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import wabtFactory from 'wabt';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The module's bytes, assembled from scripts/bignum.wat by wabt. */
export async function assembleBignumWasm() {
  const source = readFileSync(join(root, 'scripts/bignum.wat'), 'utf8');
  const wabt = await wabtFactory();
  const parsed = wabt.parseWat('bignum.wat', source, { bulk_memory: true, simd: true });
  try {
    parsed.resolveNames();
    parsed.validate();
    return new Uint8Array(parsed.toBinary({ log: false, write_debug_names: false }).buffer);
  } finally {
    parsed.destroy();
  }
}

/** The text of src/core/bignum-wasm-bytes.ts for the given bytes. */
export function bignumWasmSource(bytes) {
  // Hex rather than base64: each byte stays two characters, so gzip still sees the module's
  // repetitions (1.8 KB gzipped against 2.2 KB for base64).
  const hex = Buffer.from(bytes).toString('hex');
  return `// The WebAssembly big-number module (${bytes.length} bytes), generated from scripts/bignum.wat by
// scripts/build-wasm.mjs: do not edit by hand.
export const BIGNUM_WASM_HEX =
  '${hex}';
`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const bytes = await assembleBignumWasm();
  const out = join(root, 'src/core/bignum-wasm-bytes.ts');
  writeFileSync(out, bignumWasmSource(bytes));
  console.log(`${out}: ${bytes.length} bytes of WebAssembly`);
}
