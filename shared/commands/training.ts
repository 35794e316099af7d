// The training mode's exercises (培训模式, docs/COUNTER.md): list them with how one last went,
// start one (a customer of the training vault to serve), have it checked against what one did,
// and (a supervisor) see who completed which. Refused outside a training profile.
import { z } from 'zod';
import { ExerciseId } from '../training/exercises';
import type { CommandSpec } from './contract';

const words = z.object({ 'zh-CN': z.string(), en: z.string() });
const finding = z.object({ ok: z.boolean(), text: words });

export const TrainingRun = z.object({
  runId: z.uuid(),
  exercise: ExerciseId,
  startedAt: z.string(),
  task: words,
  completedAt: z.string().nullable(),
  passed: z.boolean().nullable(),
  findings: z.array(finding),
});
export type TrainingRun = z.infer<typeof TrainingRun>;

export const trainingContract = {
  'training.exercises': {
    input: z.object({}).strict(),
    output: z.object({
      exercises: z.array(
        z.object({ id: ExerciseId, title: words, latest: TrainingRun.nullable() }),
      ),
    }),
    permission: 'view',
    summary: "The training profile's exercises, each with how the caller's latest try went.",
  },
  'training.start': {
    input: z.object({ exercise: ExerciseId }).strict(),
    output: TrainingRun,
    permission: 'view',
    summary: 'Start an exercise: its task, with a customer of the training vault to serve.',
  },
  'training.check': {
    input: z.object({ runId: z.uuid() }).strict(),
    output: TrainingRun,
    permission: 'view',
    summary: 'Check an exercise against what the trainee did (their audit entries since it began).',
  },
  'training.progress': {
    input: z.object({}).strict(),
    output: z.object({
      runs: z.array(
        z.object({
          user: z.string(),
          exercise: ExerciseId,
          startedAt: z.string(),
          completedAt: z.string().nullable(),
          passed: z.boolean().nullable(),
        }),
      ),
    }),
    permission: 'approve',
    summary: 'Who tried and completed which exercise, on this training profile (supervisors).',
  },
} as const satisfies Record<string, CommandSpec>;
