// The Node build's small WebAssembly helpers: compiled on first use, with the core's code as the fallback.

/** A module's exports and one view of its memory (these modules never grow theirs, so the view stays valid). */
export type WasmModule<E> = E & { readonly bytes: Uint8Array };

/**
 * A getter for the module in `hex`: compiled and instantiated on the first call, then the same
 * instance; null where WebAssembly or its SIMD is unavailable, so the caller runs the core's code.
 */
export function lazyWasmModule<E>(hex: string): () => WasmModule<E> | null {
  let instance: WasmModule<E> | null | undefined;
  return () => {
    if (instance === undefined) {
      try {
        const module = new WebAssembly.Module(Buffer.from(hex, 'hex'));
        const exports = new WebAssembly.Instance(module).exports as E & { memory: WebAssembly.Memory };
        instance = Object.assign(Object.create(null), exports, { bytes: new Uint8Array(exports.memory.buffer) });
      } catch {
        instance = null;
      }
    }
    return instance ?? null;
  };
}
