// The published declarations of both entries need no devDependency: dns-packet's types stay inside.
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');

describe('published types', () => {
  it('import nothing from dns-packet (a devDependency for its types)', () => {
    const config = ts.getParsedCommandLineOfConfigFile(
      join(root, 'tsconfig.build.json'),
      {},
      {
        ...ts.sys,
        onUnRecoverableConfigFileDiagnostic: () => {},
      },
    );
    if (!config) throw new Error('tsconfig.build.json does not parse');
    const program = ts.createProgram([join(root, 'src/index.ts'), join(root, 'src/node.ts')], {
      ...config.options,
      declaration: true,
      emitDeclarationOnly: true,
      declarationMap: false,
      sourceMap: false,
      noEmit: false,
    });
    const declarations = new Map<string, string>();
    program.emit(undefined, (file, text) => declarations.set(file, text));
    expect(declarations.size).toBeGreaterThan(20);
    const leaking = [...declarations]
      .filter(([, text]) => /from ['"]dns-packet['"]|import\(['"]dns-packet['"]\)/.test(text))
      .map(([file]) => file);
    expect(leaking).toEqual([]);
  }, 60_000);
});
