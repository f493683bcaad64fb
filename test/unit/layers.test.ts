import { afterEach, describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
// @ts-expect-error plain ESM script without types
import { checkLayers } from '../../scripts/check-layers.mjs';
import { tempDir } from './helpers';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

describe('layer rule', () => {
  it('holds for this repository: shared/ and renderer/ import no electron, no node built-ins, nothing from main/', () => {
    const v = checkLayers(join(__dirname, '..', '..'));
    expect(v).toEqual([]);
  });

  it('catches each kind of violation, with file and line', () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    for (const d of ['shared', 'renderer', 'main']) mkdirSync(join(t.dir, d));
    writeFileSync(join(t.dir, 'shared', 'a.ts'), "import { z } from 'zod';\nimport fs from 'node:fs';\nimport { x } from '../main/x';\n");
    writeFileSync(join(t.dir, 'renderer', 'b.tsx'), "import React from 'react';\nimport { ipcRenderer } from 'electron';\nimport { db } from '../main/store/db';\nimport { y } from '../shared/y';\nconst p = require('path');\n");
    writeFileSync(join(t.dir, 'main', 'c.ts'), "import { z } from '../renderer/b';\nimport fs from 'node:fs';\n");
    const v = checkLayers(t.dir) as { file: string; line: number; spec: string }[];
    expect(v.map((x) => `${x.file.replace(/\\/g, '/')}:${x.line} ${x.spec}`).sort()).toEqual(
      ['main/c.ts:1 ../renderer/b', 'renderer/b.tsx:2 electron', 'renderer/b.tsx:3 ../main/store/db', 'renderer/b.tsx:5 path', 'shared/a.ts:2 node:fs', 'shared/a.ts:3 ../main/x'].sort(),
    );
  });
});
