// 培训模式: guided exercises on a training profile (docs/COUNTER.md). A try records where the
// audit log stood when it began and the training customer it is about; checking it judges the
// trainee's own entries since then (shared/training/exercises.ts). Refused on a production
// profile, which never holds a try.
import { randomUUID } from 'node:crypto';
import type { TrainingRun } from '../../../shared/commands/training';
import { maskName } from '../../../shared/access/masking';
import { BranchDeskError } from '../../../shared/errors';
import {
  exercises,
  judge,
  taskText,
  type ExerciseId,
  type Finding,
  type TraineeEntry,
} from '../../../shared/training/exercises';
import { wallClockIso } from '../clock';
import { profileEnvironment } from '../device/enrollment';
import type { Vault } from '../vault';
import { actorOf, customersOf } from './customer-commands';
import type { CommandDefinitions, CommandsOf } from './define';
import { clear } from './masking';
import type { CommandContext } from './table';

interface RunRow {
  id: string;
  user_id: string;
  exercise: ExerciseId;
  started_at: string;
  start_seq: number;
  customer_id: string | null;
  task: string;
  completed_at: string | null;
  passed: number | null;
  findings: string;
}

function trainingVault(context: CommandContext): Vault {
  const vault = context.vault;
  if (!vault) throw new BranchDeskError('VAULT_NOT_OPEN');
  if (profileEnvironment(vault) !== 'training') throw new BranchDeskError('TRAINING_ONLY');
  return vault;
}

function runOf(row: RunRow): TrainingRun {
  return {
    runId: row.id,
    exercise: row.exercise,
    startedAt: row.started_at,
    task: JSON.parse(row.task) as TrainingRun['task'],
    completedAt: row.completed_at,
    passed: row.passed === null ? null : row.passed === 1,
    findings: JSON.parse(row.findings) as Finding[],
  };
}

/** A training customer to serve: an individual with an ID document and a mobile, not restricted. */
function pickCustomer(context: CommandContext, vault: Vault) {
  const ids = vault.db
    .prepare(`SELECT id FROM customer WHERE kind = 'individual' ORDER BY random() LIMIT 50`)
    .pluck()
    .all() as string[];
  for (const id of ids) {
    const { customer } = customersOf(context).show({ id });
    const number = customer.identityDocuments[0]?.number;
    if (!customer.restriction && number && customer.phones.some((p) => p.kind === 'mobile'))
      return { id, idTail: number.slice(-4), name: maskName(customer.legalName) };
  }
  throw new BranchDeskError('CUSTOMER_NOT_FOUND', { id: 'training customer' });
}

const audited = (step: string) =>
  ({
    kind: 'within',
    entry: (_input: unknown, output: TrainingRun) => ({
      action: 'config_change' as const,
      details: {
        training: step,
        exercise: output.exercise,
        runId: output.runId,
        passed: output.passed,
      },
    }),
  }) as const;

export const trainingCommands: CommandDefinitions<CommandsOf<'training'>> = {
  'training.exercises': {
    handler: (_input, context) => {
      const vault = trainingVault(context);
      const user = actorOf(context.principal).id;
      const latest = vault.db.prepare(
        `SELECT * FROM training_run WHERE user_id = ? AND exercise = ?
         ORDER BY started_at DESC LIMIT 1`,
      );
      return {
        exercises: exercises.map((exercise) => {
          const row = latest.get(user, exercise.id) as RunRow | undefined;
          return { id: exercise.id, title: exercise.title, latest: row ? runOf(row) : null };
        }),
      };
    },
    audit: { kind: 'none', why: 'the exercises and the caller’s own tries: no customer data' },
    mask: clear('exercise titles and tasks of synthetic customers (masked names)'),
    writes: false,
  },
  'training.start': {
    handler: ({ exercise }, context) => {
      const vault = trainingVault(context);
      const definition = exercises.find((known) => known.id === exercise)!;
      const customer = definition.needsCustomer ? pickCustomer(context, vault) : null;
      const startSeq =
        (vault.db.prepare('SELECT max(seq) FROM audit_log').pluck().get() as number | null) ?? 0;
      const row: RunRow = {
        id: randomUUID(),
        user_id: actorOf(context.principal).id,
        exercise,
        started_at: wallClockIso(),
        start_seq: startSeq,
        customer_id: customer?.id ?? null,
        task: JSON.stringify(taskText(definition, customer)),
        completed_at: null,
        passed: null,
        findings: '[]',
      };
      vault.db
        .prepare(
          `INSERT INTO training_run (id, user_id, exercise, started_at, start_seq, customer_id,
             task, completed_at, passed, findings)
           VALUES (@id, @user_id, @exercise, @started_at, @start_seq, @customer_id, @task,
             @completed_at, @passed, @findings)`,
        )
        .run(row);
      return runOf(row);
    },
    audit: audited('start'),
    mask: clear('a synthetic customer’s masked name and ID tail'),
    writes: false,
  },
  'training.check': {
    handler: ({ runId }, context) => {
      const vault = trainingVault(context);
      const user = actorOf(context.principal).id;
      const row = vault.db
        .prepare('SELECT * FROM training_run WHERE id = ? AND user_id = ?')
        .get(runId, user) as RunRow | undefined;
      if (!row) throw new BranchDeskError('TRAINING_RUN_NOT_FOUND', { runId });
      // The trainee's own entries since the exercise began.
      const entries = (
        vault.db
          .prepare(
            'SELECT seq, action, target, details FROM audit_log WHERE seq > ? AND actor = ? ORDER BY seq',
          )
          .all(row.start_seq, user) as (Omit<TraineeEntry, 'details'> & { details: string })[]
      ).map((entry) => ({
        ...entry,
        details: JSON.parse(entry.details) as Record<string, unknown>,
      }));
      const judgement = judge(row.exercise, entries, row.customer_id);
      const checked: RunRow = {
        ...row,
        passed: judgement.passed ? 1 : 0,
        completed_at: judgement.passed ? (row.completed_at ?? wallClockIso()) : row.completed_at,
        findings: JSON.stringify(judgement.findings),
      };
      vault.db
        .prepare(
          'UPDATE training_run SET passed = @passed, completed_at = @completed_at, findings = @findings WHERE id = @id',
        )
        .run(checked);
      return runOf(checked);
    },
    audit: audited('check'),
    mask: clear('the judgement of one’s own exercise'),
    writes: false,
  },
  'training.progress': {
    handler: (_input, context) => {
      const vault = trainingVault(context);
      const rows = vault.db
        .prepare(
          `SELECT user_id, exercise, started_at, completed_at, passed FROM training_run
           ORDER BY user_id, exercise, started_at`,
        )
        .all() as Pick<RunRow, 'user_id' | 'exercise' | 'started_at' | 'completed_at' | 'passed'>[];
      return {
        runs: rows.map((row) => ({
          user: row.user_id,
          exercise: row.exercise,
          startedAt: row.started_at,
          completedAt: row.completed_at,
          passed: row.passed === null ? null : row.passed === 1,
        })),
      };
    },
    audit: { kind: 'none', why: 'who completed which exercise: staff, no customer' },
    mask: clear('staff and exercises'),
    writes: false,
  },
};
