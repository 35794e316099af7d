// 培训模式 through the real transports: a training HQ (seeded with synthetic customers) and the
// bank's production HQ side by side on PGlite. A training profile cannot enroll with the
// production HQ, nor a production profile with the training HQ (the code is not spent); a
// training profile pointed at the production HQ refuses its answers and receives nothing. On
// the training profile, exercises are judged from the trainee's own audit entries and a
// supervisor sees who completed which; a production profile has no exercises.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatch, type CommandResult } from '../../../electron/core/commands';
import { enrollDevice } from '../../../electron/core/device/enrollment';
import { syncRound } from '../../../electron/core/sync/engine';
import { openVault, type Vault } from '../../../electron/core/vault';
import { demoUsers } from '../../../hq/seed';
import { isBranchDeskError } from '../../../shared/errors';
import { hqCommand, startHq, type HqEnv, type RunningHq } from '../../support/hq';
import { profileSandbox, realSecretStore } from '../../support/keyring';
import { signedInDesks } from '../../support/signed-in';

const secrets = realSecretStore();
const SEED = 79;

const code = (result: CommandResult) => (result.ok ? 'ok' : result.error.code);
function value<T>(result: CommandResult): T {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message.en}`);
  return result.value as T;
}
async function refusal(work: Promise<unknown>): Promise<string> {
  try {
    await work;
    return 'ok';
  } catch (error) {
    return isBranchDeskError(error) ? error.code : String(error);
  }
}

describe('the training mode', () => {
  const sandbox = profileSandbox(secrets);
  let production: HqEnv;
  let training: HqEnv;
  let productionHq: RunningHq;
  let trainingHq: RunningHq;
  let trainingVault: Vault;
  let productionVault: Vault;
  const staff = signedInDesks(
    secrets,
    new Map(demoUsers(SEED).map((user) => [user.username, user])),
  );
  const codeFor = (hq: HqEnv) => hqCommand(hq, ['enroll-code', '--branch', 'B001']).stdout.trim();

  beforeAll(async () => {
    production = { dataDir: join(sandbox.path, 'hq-production') };
    training = { dataDir: join(sandbox.path, 'hq-training') };
    for (const [hq, flags] of [
      [production, []],
      [training, ['--training']],
    ] as const)
      expect(
        hqCommand(hq, [
          'seed',
          '--customers',
          '20',
          '--branches',
          '1',
          '--seed',
          String(SEED),
          ...flags,
        ]).status,
      ).toBe(0);
  }, 240_000);
  afterAll(async () => {
    await staff.signOutAll();
    trainingVault?.close();
    productionVault?.close();
    await productionHq?.stop();
    await trainingHq?.stop();
    sandbox.cleanup();
  });

  it('keeps training and production apart at enrollment, both ways, spending no code', async () => {
    const productionCode = codeFor(production);
    const trainingCode = codeFor(training);
    productionHq = await startHq(production);
    trainingHq = await startHq(training);
    const trainingDir = join(sandbox.path, 'training-desk');
    const productionDir = join(sandbox.path, 'production-desk');
    expect(
      await refusal(
        enrollDevice(trainingDir, secrets, {
          hqUrl: productionHq.url,
          code: productionCode,
          training: true,
        }),
      ),
    ).toBe('HQ_ENVIRONMENT_MISMATCH');
    expect(
      await refusal(
        enrollDevice(productionDir, secrets, { hqUrl: trainingHq.url, code: trainingCode }),
      ),
    ).toBe('HQ_ENVIRONMENT_MISMATCH');
    // The codes were not spent: each enrolls its own kind.
    const enrolledTraining = await enrollDevice(trainingDir, secrets, {
      hqUrl: trainingHq.url,
      code: trainingCode,
      training: true,
    });
    sandbox.forget(enrolledTraining.profileId);
    const enrolledProduction = await enrollDevice(productionDir, secrets, {
      hqUrl: productionHq.url,
      code: productionCode,
    });
    sandbox.forget(enrolledProduction.profileId);
    trainingVault = openVault(trainingDir, secrets);
    productionVault = openVault(productionDir, secrets);
    await syncRound(trainingVault, secrets);
    await syncRound(productionVault, secrets);
    // A training profile stays one: it cannot enroll again as production.
    expect(
      await refusal(
        enrollDevice(trainingDir, secrets, { hqUrl: productionHq.url, code: codeFor(production) }),
      ),
    ).toBe('DEVICE_ALREADY_ENROLLED');
  });

  it('refuses a production HQ’s answers to a training profile pointed at it', async () => {
    const before = trainingVault.db.prepare('SELECT count(*) FROM customer').pluck().get();
    const hqUrl = trainingVault.db
      .prepare("SELECT value FROM vault_meta WHERE key = 'enrollment.hqUrl'")
      .pluck()
      .get() as string;
    trainingVault.db
      .prepare("UPDATE vault_meta SET value = ? WHERE key = 'enrollment.hqUrl'")
      .run(productionHq.url);
    try {
      expect(await refusal(syncRound(trainingVault, secrets))).toBe('HQ_ENVIRONMENT_MISMATCH');
      expect(trainingVault.db.prepare('SELECT count(*) FROM customer').pluck().get()).toBe(before);
    } finally {
      trainingVault.db
        .prepare("UPDATE vault_meta SET value = ? WHERE key = 'enrollment.hqUrl'")
        .run(hqUrl);
    }
    // And a production HQ with devices never becomes a training one.
    await productionHq.stop();
    const refused = hqCommand(production, ['seed', '--training']);
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toContain('HQ_ENVIRONMENT_MISMATCH');
  });

  it('judges an exercise from what the trainee did, and shows a supervisor who completed it', async () => {
    const trainee = await staff.desk('teller1', trainingVault);
    const about = value<{ training: boolean }>(await dispatch('device.about', {}, trainee));
    expect(about.training).toBe(true);
    const run = value<{ runId: string; task: { 'zh-CN': string } }>(
      await dispatch('training.start', { exercise: 'find_walk_in' }, trainee),
    );
    const target = trainingVault.db
      .prepare('SELECT customer_id FROM training_run WHERE id = ?')
      .pluck()
      .get(run.runId) as string;
    expect(run.task['zh-CN']).toMatch(/尾号为 \d{3}[\dX]/u);
    const early = value<{ passed: boolean; findings: { ok: boolean }[] }>(
      await dispatch('training.check', { runId: run.runId }, trainee),
    );
    expect(early.passed).toBe(false);
    // The trainee opens the customer, and reveals the ID number they did not need.
    value(await dispatch('customer.show', { id: target }, trainee));
    value(
      await dispatch(
        'customer.reveal.identity_number',
        { id: target, reason: 'customer_present_verified', index: 0 },
        trainee,
      ),
    );
    const judged = value<{ passed: boolean; findings: { ok: boolean; text: { en: string } }[] }>(
      await dispatch('training.check', { runId: run.runId }, trainee),
    );
    expect(judged.passed).toBe(false);
    expect(judged.findings.filter((finding) => !finding.ok).map((f) => f.text.en)).toEqual([
      'Finding a customer needs no full ID number: the tail and the name are enough.',
    ]);
    // Again, right this time.
    const again = value<{ runId: string }>(
      await dispatch('training.start', { exercise: 'find_walk_in' }, trainee),
    );
    const second = trainingVault.db
      .prepare('SELECT customer_id FROM training_run WHERE id = ?')
      .pluck()
      .get(again.runId) as string;
    value(await dispatch('customer.show', { id: second }, trainee));
    expect(
      value<{ passed: boolean }>(await dispatch('training.check', { runId: again.runId }, trainee))
        .passed,
    ).toBe(true);
    // Another trainee's try is not theirs to check.
    const other = await staff.desk('rm1', trainingVault);
    expect(code(await dispatch('training.check', { runId: again.runId }, other))).toBe(
      'TRAINING_RUN_NOT_FOUND',
    );
    const supervisor = await staff.desk('supervisor1', trainingVault);
    const progress = value<{ runs: { user: string; exercise: string; passed: boolean | null }[] }>(
      await dispatch('training.progress', {}, supervisor),
    );
    expect(progress.runs.filter((one) => one.user === 'user:teller1')).toEqual([
      expect.objectContaining({ exercise: 'find_walk_in', passed: false }),
      expect.objectContaining({ exercise: 'find_walk_in', passed: true }),
    ]);
    expect(code(await dispatch('training.progress', {}, trainee))).toBe('PERMISSION_DENIED');
  });

  it('has no exercises on a production profile', async () => {
    productionHq = await startHq(production, { port: Number(new URL(productionHq.url).port) });
    const teller = await staff.desk('teller1', productionVault);
    expect(code(await dispatch('training.exercises', {}, teller))).toBe('TRAINING_ONLY');
    expect(code(await dispatch('training.start', { exercise: 'find_walk_in' }, teller))).toBe(
      'TRAINING_ONLY',
    );
    expect(value<{ training: boolean }>(await dispatch('device.about', {}, teller)).training).toBe(
      false,
    );
  });
});
