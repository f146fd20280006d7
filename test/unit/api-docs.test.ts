// The API reference builds without a warning: TypeDoc (typedoc.json, the same run as `npm run docs`
// without writing HTML) reads the three package entries, and every type an exported function takes
// or returns is exported too (or listed in typedoc.json's intentionallyNotExported with the
// constant it is built from), so the reference links every name an app sees.

import { execFile } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const run = promisify(execFile);

describe('API reference', () => {
  it('TypeDoc documents the dosewise, dosewise/browser and dosewise/model-text entries with no warning', async () => {
    const bin = join(ROOT, 'node_modules', 'typedoc', 'bin', 'typedoc');
    const r = await run(process.execPath, [bin, '--emit', 'none', '--logLevel', 'Warn', '--treatWarningsAsErrors'], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' } }).catch(
      (e: { stdout?: string; stderr?: string; message: string }) => ({ stdout: e.stdout ?? '', stderr: `${e.stderr ?? ''}\n${e.message}` }),
    );
    const out = `${r.stdout}${r.stderr}`.replace(new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g'), ''); // colours
    expect(out.split('\n').filter((l) => /\[(warning|error)\]/.test(l))).toEqual([]);
  }, 180_000);
});
