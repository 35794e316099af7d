// The customer verbs of branchctl, as IT and scripts use them: real processes, a real vault.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readProfile, vaultPaths } from '../../electron/core/vault';
import { branchctl, branchctlPath } from '../support/branchctl';
import { newCustomer } from '../support/customers';
import { profileSandbox, realSecretStore } from '../support/keyring';
import { individualInput } from '../unit/customer/examples';

const secrets = realSecretStore();

describe('branchctl customer', () => {
  const sandbox = profileSandbox(secrets);
  let dataDir: string;
  let customerFile: string;
  afterAll(() => sandbox.cleanup());

  beforeAll(() => {
    dataDir = join(sandbox.path, 'profile');
    expect(branchctl(['init', '--data-dir', dataDir]).status).toBe(0);
    sandbox.forget(readProfile(vaultPaths(dataDir).profile).profileId);
    const input = newCustomer(individualInput());
    customerFile = join(sandbox.path, 'customer.json');
    writeFileSync(customerFile, JSON.stringify(input));
  });

  it('creates, finds, shows and updates a customer', () => {
    const created = branchctl([
      'customer',
      'create',
      '--data-dir',
      dataDir,
      '--file',
      customerFile,
      '--json',
    ]);
    expect(created.status, created.stdout + created.stderr).toBe(0);
    const { customer } = JSON.parse(created.stdout).value;

    for (const query of [
      '110105198506150030',
      '150030',
      '13800138000',
      '张伟',
      'zw',
      'zhangwei',
      customer.customerNumber,
    ]) {
      const found = branchctl(['customer', 'search', query, '--data-dir', dataDir, '--json']);
      expect(found.status, query).toBe(0);
      expect(JSON.parse(found.stdout).value.items[0]?.customerNumber, query).toBe(
        customer.customerNumber,
      );
    }

    const human = branchctl(['customer', 'search', '张伟', '--data-dir', dataDir, '--lang', 'en']);
    expect(human.stdout).toContain(customer.customerNumber);
    expect(human.stdout).toContain('1 results');

    const shown = branchctl([
      'customer',
      'show',
      customer.customerNumber.toLowerCase(),
      '--data-dir',
      dataDir,
      '--json',
    ]);
    expect(JSON.parse(shown.stdout).value.customer.id).toBe(customer.id);

    // Changes from standard input.
    const updated = spawnSync(
      process.execPath,
      [
        branchctlPath,
        'customer',
        'update',
        customer.id,
        '--base-version',
        '1',
        '--file',
        '-',
        '--data-dir',
        dataDir,
        '--json',
      ],
      { input: JSON.stringify({ email: 'new.address@example.com' }), encoding: 'utf8' },
    );
    expect(updated.status, updated.stdout + updated.stderr).toBe(0);
    expect(JSON.parse(updated.stdout).value.customer).toMatchObject({
      version: 2,
      email: 'new.address@example.com',
    });
  });

  it('refuses a duplicate identity document with exit 1 and says whose it is', () => {
    const again = branchctl([
      'customer',
      'create',
      '--data-dir',
      dataDir,
      '--file',
      customerFile,
      '--lang',
      'en',
    ]);
    expect(again.status).toBe(1);
    expect(again.stderr).toMatch(
      /CUSTOMER_DUPLICATE_DOCUMENT.*already belongs to customer C\d{10}/,
    );
  });

  it('reports probable duplicates', () => {
    const run = branchctl(['duplicates', '--data-dir', dataDir, '--json']);
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout).value.groups).toEqual(expect.any(Array));
  });

  it('exits 2 on a missing or unreadable --file and on an unknown customer verb', () => {
    expect(branchctl(['customer', 'create', '--data-dir', dataDir]).status).toBe(2);
    expect(
      branchctl([
        'customer',
        'create',
        '--data-dir',
        dataDir,
        '--file',
        join(sandbox.path, 'none.json'),
      ]).status,
    ).toBe(2);
    expect(branchctl(['customer', 'delete', 'x', '--data-dir', dataDir]).status).toBe(2);
  });

  it('refuses customer verbs on a folder with no profile, with a typed error', () => {
    const run = branchctl([
      'customer',
      'search',
      '张伟',
      '--data-dir',
      join(sandbox.path, 'nothing'),
      '--json',
    ]);
    expect(run.status).toBe(1);
    expect(JSON.parse(run.stdout).error.code).toBe('VAULT_NOT_FOUND');
  });
});
