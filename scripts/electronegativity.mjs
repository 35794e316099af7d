#!/usr/bin/env node
// `npm run check:electron` (and a step of `npm test`): Doyensec's electronegativity over the
// Electron sources (electron/), offline. It prints connectivity warnings and carries on, and its
// exit code ignores findings, so this reads its SARIF output and fails on any finding at warning
// level or above that electronegativity-allow.json does not list with its reason.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const electronVersion = manifest.devDependencies.electron;
const allowList = JSON.parse(readFileSync(join(root, 'electronegativity-allow.json'), 'utf8'));
for (const entry of allowList.allowed) {
  if (!entry.rule || !entry.file || !entry.reason?.trim()) {
    console.error('electronegativity-allow.json: every entry needs rule, file and reason', entry);
    process.exit(2);
  }
}

const dir = mkdtempSync(join(tmpdir(), 'electronegativity-'));
const sarif = join(dir, 'results.sarif');
try {
  const run = spawnSync(
    process.execPath,
    [
      join(root, 'node_modules/@doyensec/electronegativity/dist/index.js'),
      '--input',
      join(root, 'electron'),
      '--output',
      sarif,
      '--electron-version',
      electronVersion,
      '--relative',
      '--verbose',
      'false',
    ],
    { cwd: root, encoding: 'utf8', timeout: 300_000 },
  );
  let report;
  try {
    report = JSON.parse(readFileSync(sarif, 'utf8'));
  } catch {
    console.error('electronegativity wrote no SARIF report:\n', run.stdout, run.stderr);
    process.exit(2);
  }
  const rank = { none: 0, note: 1, warning: 2, error: 3 };
  const findings = report.runs.flatMap((sarifRun) =>
    sarifRun.results.map((result) => ({
      rule: result.ruleId,
      level: result.level ?? 'warning',
      file: result.locations?.[0]?.physicalLocation?.artifactLocation?.uri ?? '?',
      line: result.locations?.[0]?.physicalLocation?.region?.startLine ?? 0,
      message: result.message?.text ?? '',
    })),
  );
  const serious = findings.filter((finding) => (rank[finding.level] ?? 2) >= rank.warning);
  const allowed = (finding) =>
    allowList.allowed.some((entry) => entry.rule === finding.rule && entry.file === finding.file);
  const unexplained = serious.filter((finding) => !allowed(finding));
  for (const finding of findings)
    console.log(
      `${unexplained.includes(finding) ? '✗' : ' '} ${finding.level.padEnd(7)} ${finding.rule} ${finding.file}:${finding.line}`,
    );
  console.log(
    `electronegativity (Electron ${electronVersion}): ${findings.length} findings, ${serious.length} at warning or above, ${unexplained.length} unexplained`,
  );
  if (unexplained.length > 0) {
    console.error(
      'Fix these, or list each in electronegativity-allow.json with the reason it is safe.',
    );
    process.exit(1);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
