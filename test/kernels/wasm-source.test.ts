import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RELU_LAYER_WASM } from '../../src/kernels/reluWasmBytes.js';

describe('the committed WebAssembly kernel', () => {
  it('is exactly the assembly of src/kernels/reluLayer.wat (the bytes cannot drift from their source)', async () => {
    const wabtInit = (await import('wabt')).default as unknown as () => Promise<{
      parseWat(name: string, src: string, features: Record<string, boolean>): {
        validate(): void;
        toBinary(opts: object): { buffer: Uint8Array };
      };
    }>;
    const wabt = await wabtInit();
    const src = readFileSync(new URL('../../src/kernels/reluLayer.wat', import.meta.url), 'utf8');
    const mod = wabt.parseWat('reluLayer.wat', src, { simd: true });
    mod.validate();
    const bytes = Buffer.from(mod.toBinary({}).buffer).toString('base64');
    expect(bytes).toBe(RELU_LAYER_WASM);
  });
});
