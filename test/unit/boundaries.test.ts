// The runtime boundaries of ARCHITECTURE.md §2 are enforced mechanically: a wrong import or a
// wrong global fails lint or the type check, shown here on fixtures that break each rule.
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const eslint = new ESLint({ cwd: root });

async function lintAs(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: `${root}/${filePath}` });
  return (result?.messages ?? [])
    .filter((m) => m.ruleId === 'no-restricted-imports')
    .map((m) => m.message);
}

describe('import boundaries (ESLint)', () => {
  const cases: [string, string, boolean][] = [
    ['renderer/src/Fixture.tsx', "import { ipcRenderer } from 'electron';", false],
    ['renderer/src/fixture.ts', "import { readFileSync } from 'node:fs';", false],
    ['renderer/src/fixture.ts', "import { readFileSync } from 'fs';", false],
    ['renderer/src/fixture.ts', "import { openVault } from '../../electron/core/vault';", false],
    ['shared/fixture.ts', "import { createHash } from 'node:crypto';", false],
    ['shared/fixture.ts', "import { app } from 'electron';", false],
    ['shared/fixture.ts', "import { dispatch } from '../electron/core/commands';", false],
    ['electron/core/fixture.ts', "import { app } from 'electron';", false],
    ['electron/core/fixture.ts', "import { x } from '../../renderer/src/x';", false],
    ['hq/fixture.ts', "import { BrowserWindow } from 'electron';", false],
    ['electron/core/sync/fixture.ts', "import { CoreHost } from '../hosts/desk/host';", false],
    ['electron/core/sync/fixture.ts', "import { app } from 'electron';", false],
    ['electron/core/hosts/cli/fixture.ts', "import { dispatch } from '../../commands';", true],
    ['electron/main/fixture.ts', "import { app } from 'electron';", true],
    ['electron/preload/fixture.ts', "import { contextBridge } from 'electron';", true],
    ['electron/core/fixture.ts', "import { readFileSync } from 'node:fs';", true],
    ['renderer/src/fixture.ts', "import { z } from 'zod';", true],
    ['shared/fixture.ts', "import { z } from 'zod';", true],
  ];
  for (const [file, code, allowed] of cases) {
    it(`${allowed ? 'allows' : 'forbids'} \`${code}\` in ${file}`, async () => {
      const violations = await lintAs(file, `${code}\nexport {};\n`);
      if (allowed) expect(violations).toEqual([]);
      else expect(violations.length).toBeGreaterThan(0);
    });
  }
});

/** Type-checks one fixture with the compiler options of one of the project's tsconfig files. */
function typeErrors(tsconfig: string, fixture: string): string[] {
  const config = ts.readConfigFile(`${root}/${tsconfig}`, ts.sys.readFile);
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, root);
  const options = {
    ...parsed.options,
    noEmit: true,
    composite: false,
    emitDeclarationOnly: false,
    incremental: false,
  };
  const program = ts.createProgram([`${root}/test/fixtures/boundaries/${fixture}`], options);
  return ts
    .getPreEmitDiagnostics(program)
    .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

describe('runtime boundaries (TypeScript projects)', () => {
  it('shared/ has no Node types: `process` and `Buffer` do not exist there', () => {
    const errors = typeErrors('tsconfig.shared.json', 'uses-node.ts');
    expect(errors.join('\n')).toMatch(/Cannot find name 'process'/);
    expect(errors.join('\n')).toMatch(/Cannot find name 'Buffer'/);
  });

  it('shared/ has no DOM: `document` and `window` do not exist there', () => {
    expect(typeErrors('tsconfig.shared.json', 'uses-dom.ts').join('\n')).toMatch(
      /Cannot find name 'document'/,
    );
  });

  it('renderer/ has the DOM but no Node types', () => {
    expect(typeErrors('tsconfig.web.json', 'uses-dom.ts')).toEqual([]);
    expect(typeErrors('tsconfig.web.json', 'uses-node.ts').join('\n')).toMatch(
      /Cannot find name 'process'/,
    );
  });

  it('electron/ and hq/ have Node types', () => {
    expect(typeErrors('tsconfig.node.json', 'uses-node.ts')).toEqual([]);
  });
});
