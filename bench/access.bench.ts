// `npm run bench -- access`: what access control and audit cost, side by side in one run.
//   - search through the command table as a teller (validation, permission check, the audit
//     entry committed with it, masked results) vs the same search called on the core directly,
//     alternating which goes first, on one vault;
//   - verification speed of the audit chain (entries/s), over a chain of N entries in the vault;
//   - sign-in time with the Argon2id parameters in use: online (through the command table, against
//     a real HQ process on PGlite: HQ's check plus the device's new offline verifier) and offline
//     (the vault's verifier and HQ's grant), and one Argon2id check alone.
//
//   --customers N   customers in the vault (default 50000)
//   --searches N    searches per side (default 2000)
//   --entries N     audit entries to verify (default 1000000)
//   --logins N      sign-ins per kind (default 12)
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { AuditLog } from '../electron/core/audit/log';
import { dispatch } from '../electron/core/commands';
import { CustomerStore } from '../electron/core/customers';
import { nationalNumber } from '../electron/core/customers/terms';
import { CustomerSearch } from '../electron/core/search';
import { OsSecretStore } from '../electron/core/secrets';
import { bulkLoad, createVault } from '../electron/core/vault';
import type { Customer } from '../shared/customer';
import { generateCustomers } from '../shared/synthetic';
import { tempDir } from '../test/support/files';
import { report, round, summarize } from './support';
import { hash as argon2Hash, verify as argon2Verify } from '@node-rs/argon2';
import { enrollDevice, forgetProfileSecrets } from '../electron/core/device/enrollment';
import { StaffSession } from '../electron/core/session/session';
import { openVault } from '../electron/core/vault';
import { ARGON2ID } from '../shared/auth/staff';
import { totpAt } from '../shared/auth/totp';
import { hqCommand, startHq } from '../test/support/hq';
import { credentialsIn } from '../test/support/staff';

const { values } = parseArgs({
  options: {
    customers: { type: 'string', default: '50000' },
    searches: { type: 'string', default: '2000' },
    entries: { type: 'string', default: '1000000' },
    logins: { type: 'string', default: '12' },
  },
});
const CUSTOMERS = Number(values.customers);
const SEARCHES = Number(values.searches);
const ENTRIES = Number(values.entries);
const LOGINS = Number(values.logins);

const dir = tempDir('branchdesk-bench-access-');
const secrets = new OsSecretStore();
const profiles: string[] = [];

try {
  // --- one vault with customers, searched both ways ---
  const vault = createVault(join(dir.path, 'search'), secrets);
  profiles.push(vault.profileId);
  const store = new CustomerStore(vault.db);
  const queries: string[] = [];
  bulkLoad(vault.db, () => {
    let batch: Customer[] = [];
    for (const customer of generateCustomers({
      seed: 5,
      count: CUSTOMERS,
      branches: ['B001'],
      rmsPerBranch: 8,
    })) {
      batch.push(customer);
      if (queries.length < 600 && customer.kind === 'individual')
        queries.push(
          customer.legalName,
          customer.identityDocuments[0]!.number.slice(-6),
          nationalNumber(customer.phones[0]?.e164 ?? '+8613800000000'),
        );
      if (batch.length === 5000) {
        store.insertMany(batch);
        batch = [];
      }
    }
    store.insertMany(batch);
  });
  const search = new CustomerSearch(vault.db);
  const context = {
    // A teller: the search is validated, checked, audited and its results masked.
    principal: { kind: 'user', userId: 'u-bench', username: 'bench', roles: ['teller'] } as const,
    secrets,
    vault,
  };
  const direct: number[] = [];
  const audited: number[] = [];
  const timeDirect = (query: string) => {
    const started = performance.now();
    search.search(query, { limit: 20, offset: 0 });
    direct.push(performance.now() - started);
  };
  const timeAudited = async (query: string) => {
    const started = performance.now();
    const result = await dispatch('customer.search', { query }, context);
    audited.push(performance.now() - started);
    if (!result.ok) throw new Error(result.error.code);
  };
  for (let i = 0; i < 200; i++) {
    // warm both paths and the cache
    timeDirect(queries[i % queries.length]!);
    await timeAudited(queries[i % queries.length]!);
  }
  direct.length = 0;
  audited.length = 0;
  for (let i = 0; i < SEARCHES; i++) {
    const query = queries[i % queries.length]!;
    if (i % 2 === 0) {
      timeDirect(query);
      await timeAudited(query);
    } else {
      await timeAudited(query);
      timeDirect(query);
    }
  }
  const directSummary = summarize(direct);
  const auditedSummary = summarize(audited);
  const mean = (samples: number[]) => samples.reduce((a, b) => a + b, 0) / samples.length;
  vault.close();

  // --- a long chain, verified ---
  const chainVault = createVault(join(dir.path, 'chain'), secrets);
  profiles.push(chainVault.profileId);
  const log = new AuditLog(chainVault);
  bulkLoad(chainVault.db, () => {
    for (let start = 0; start < ENTRIES; start += 10_000) {
      chainVault.db.transaction(() => {
        for (let i = start; i < Math.min(ENTRIES, start + 10_000); i++)
          log.append({
            actor: 'os:teller',
            action: i % 3 === 0 ? 'search' : 'view',
            target: i % 3 === 0 ? null : `4f1c2a9e-0000-4000-8000-${String(i).padStart(12, '0')}`,
            details: i % 3 === 0 ? { query: '张伟', results: 3, limit: 20, offset: 0 } : {},
          });
      })();
    }
  });
  const started = performance.now();
  const verified = log.verify();
  const verifyMs = performance.now() - started;
  if (!verified.ok || verified.count !== ENTRIES) throw new Error('the chain did not verify');
  chainVault.close();

  // --- sign-in ---
  const argon2Samples: number[] = [];
  const stored = await argon2Hash('correct horse battery staple', ARGON2ID);
  for (let i = 0; i < LOGINS; i++) {
    const started = performance.now();
    await argon2Verify(stored, 'correct horse battery staple');
    argon2Samples.push(performance.now() - started);
  }
  const hq = { dataDir: join(dir.path, 'hq') };
  const seeded = hqCommand(hq, ['seed', '--customers', '200', '--branches', '1', '--seed', '9']);
  if (seeded.status !== 0) throw new Error(seeded.stderr);
  // One user per online sign-in: HQ takes each user's TOTP step once.
  const users: { username: string; password: string; totpSecret: string }[] = [];
  for (let i = 0; i < LOGINS; i++) {
    const added = hqCommand(hq, [
      'user',
      'add',
      '--username',
      `bench.${i}`,
      '--name',
      `柜员 ${i}`,
      '--roles',
      'teller',
      '--branch',
      'B001',
    ]);
    users.push({ username: `bench.${i}`, ...credentialsIn(added.stdout) });
  }
  const code = hqCommand(hq, ['enroll-code', '--branch', 'B001']).stdout.trim();
  const server = await startHq(hq);
  const onlineSamples: number[] = [];
  const offlineSamples: number[] = [];
  try {
    const enrolled = await enrollDevice(join(dir.path, 'desk'), secrets, {
      hqUrl: server.url,
      code,
    });
    profiles.push(enrolled.profileId);
    const desk = openVault(join(dir.path, 'desk'), secrets);
    let offset = 0;
    const session = new StaffSession({ clock: () => Date.now() + offset });
    const deskContext = {
      principal: { kind: 'anonymous' } as const,
      session,
      secrets,
      vault: desk,
    };
    const signIn = async (user: (typeof users)[number], at: number, samples: number[]) => {
      const started = performance.now();
      const result = await dispatch(
        'session.login',
        { username: user.username, password: user.password, totp: totpAt(user.totpSecret, at) },
        deskContext,
      );
      samples.push(performance.now() - started);
      if (!result.ok) throw new Error(result.error.code);
    };
    for (const user of users) await signIn(user, Date.now(), onlineSamples);
    await server.stop();
    // HQ out of reach: the same users sign in offline, the desk's clock a step on each time.
    for (const user of users) {
      offset += 30_000;
      await signIn(user, Date.now() + offset, offlineSamples);
    }
    desk.close();
  } finally {
    await server.stop();
  }
  const argon2Summary = summarize(argon2Samples);
  const onlineSummary = summarize(onlineSamples);
  const offlineSummary = summarize(offlineSamples);

  const results = {
    customers: CUSTOMERS,
    search: {
      direct: directSummary,
      audited: auditedSummary,
      ratio_p50: round(auditedSummary.p50_ms / directSummary.p50_ms, 3),
      ratio_p95: round(auditedSummary.p95_ms / directSummary.p95_ms, 3),
      ratio_mean: round(mean(audited) / mean(direct), 3),
    },
    audit_verify: {
      entries: ENTRIES,
      ms: Math.round(verifyMs),
      entries_per_s: Math.round(ENTRIES / (verifyMs / 1000)),
    },
    login: {
      argon2id: ARGON2ID,
      argon2_verify: argon2Summary,
      online: onlineSummary,
      offline: offlineSummary,
    },
    targets: {
      audited_search_ratio_max: 1.15,
      audit_verify_entries_per_s_min: 200_000,
      login_ms: [150, 500],
    },
  };
  report(
    'access',
    [
      ['measure', 'direct', 'audited (command table)', 'ratio'],
      ['search p50 (ms)', directSummary.p50_ms, auditedSummary.p50_ms, results.search.ratio_p50],
      ['search p95 (ms)', directSummary.p95_ms, auditedSummary.p95_ms, results.search.ratio_p95],
      [
        'search mean (ms, target ratio ≤ 1.15)',
        round(mean(direct)),
        round(mean(audited)),
        results.search.ratio_mean,
      ],
      [
        `audit chain verify: ${ENTRIES} entries (entries/s, target ≥ 200000)`,
        '',
        results.audit_verify.entries_per_s,
        '',
      ],
      [
        `Argon2id check (m=${ARGON2ID.memoryCost} KiB, t=${ARGON2ID.timeCost}), p50 / p95 ms`,
        '',
        `${argon2Summary.p50_ms} / ${argon2Summary.p95_ms}`,
        '',
      ],
      [
        'sign-in online via HQ, p50 / p95 ms (target 150–500)',
        '',
        `${onlineSummary.p50_ms} / ${onlineSummary.p95_ms}`,
        '',
      ],
      [
        'sign-in offline, p50 / p95 ms (target 150–500)',
        '',
        `${offlineSummary.p50_ms} / ${offlineSummary.p95_ms}`,
        '',
      ],
    ],
    results,
  );
} finally {
  for (const id of profiles) forgetProfileSecrets(id, secrets);
  dir.cleanup();
}
