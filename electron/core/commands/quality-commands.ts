// Data quality at the desk (docs/QUALITY.md): a book's score and the customers behind a problem,
// from the book's columns (quality/score.ts), offline. Reading either lists or counts customers of
// a book, so each call is audited as a search (which book, which problem, how many), like the
// home's. Reading the score keeps it as this week's, for the trend.
import { randomUUID } from 'node:crypto';
import { maskListItem } from '../../../shared/access/masking';
import { BranchDeskError } from '../../../shared/errors';
import { effectiveKyc } from '../../../shared/insight/review';
import { qualityRules } from '../../../shared/quality/rules';
import { customerIdOf } from './audit-plan';
import { actorOf, customersOf } from './customer-commands';
import { written } from './masking';
import { bookFor } from '../insight/book';
import { QualityReader } from '../quality/score';
import type { CommandDefinitions, CommandsOf } from './define';
import { rmIdOf, scopeOf, today } from './insight-commands';
import { perVault } from './per-vault';

const readersOf = perVault((vault) => new QualityReader(vault));

export const qualityCommands: CommandDefinitions<CommandsOf<'quality'>> = {
  'quality.create_tasks': {
    handler: ({ scope: asked, problem, assignee, dueOn, title }, context) => {
      const scope = scopeOf(context, asked);
      const book = bookFor(scope, rmIdOf(context));
      const customers = customersOf(context);
      const actor = actorOf(context.principal);
      const reader = readersOf(context);
      let created = 0;
      let skipped = 0;
      // Page by page of the list behind the problem; each task its own change (and mutation).
      const listed = reader.list(book, problem, today().date, { offset: 0, limit: 5000 });
      for (const item of listed.items) {
        const { customer } = customers.show({ id: item.id });
        const open = customer.tasks.some(
          (task) => task.cleansing === problem && task.status === 'open',
        );
        if (open || customer.restriction) {
          skipped++;
          continue;
        }
        customers.addTask(
          item.id,
          {
            id: randomUUID(),
            title,
            dueOn,
            assignee: assignee === 'rm' ? (customer.assignedRmId ?? 'counter') : 'counter',
            cleansing: problem,
          },
          actor,
        );
        created++;
      }
      return { created, skipped };
    },
    audit: {
      kind: 'within',
      entry: ({ problem, dueOn }, output) => ({
        action: 'update',
        details: {
          fields: ['tasks'],
          what: `cleansing.${problem}`,
          dueOn,
          count: output.created,
        },
      }),
    },
    mask: { nothingPersonal: 'how many tasks were added and passed over' },
    writes: true,
  },
  'quality.complete_task': {
    handler: ({ id, taskId }, context) => {
      const customers = customersOf(context);
      const { customer } = customers.show({ id });
      const task = customer.tasks.find((known) => known.id === taskId);
      if (!task || task.cleansing === undefined)
        throw new BranchDeskError('CUSTOMER_TASK_NOT_FOUND');
      if (task.status === 'done') return { customer, probableDuplicates: [] };
      // Done when the record no longer has the problem: the customer confirmed or corrected it.
      // A KYC review recorded here counts at once, as in the book's score (effectiveKyc).
      const rule = qualityRules.find((known) => known.id === task.cleansing);
      if (rule?.finds({ ...customer, kyc: effectiveKyc(customer) }, { today: today().iso }))
        throw new BranchDeskError('QUALITY_PROBLEM_REMAINS', { problem: rule.id });
      return customers.setTaskStatus(id, taskId, 'done', actorOf(context.principal));
    },
    audit: {
      kind: 'within',
      entry: ({ taskId }, output) => ({
        action: 'update',
        target: customerIdOf(output),
        details: { fields: ['tasks'], taskId, status: 'done', what: 'cleansing' },
      }),
    },
    mask: written,
    writes: true,
    faultPoint: 'edit:after-commit',
  },
  'quality.score': {
    handler: ({ scope: asked }, context) => {
      const scope = scopeOf(context, asked);
      const rmId = rmIdOf(context);
      const book = bookFor(scope, rmId);
      const day = today();
      const reader = readersOf(context);
      const score = reader.score(book, day.date);
      const trend = reader.keepWeek(
        scope === 'branch' ? 'branch' : `rm:${rmId ?? ''}`,
        day.date,
        score,
      );
      return { scope, today: day.iso, ...score, trend };
    },
    audit: {
      kind: 'within',
      entry: (_input, output) => ({
        action: 'search',
        details: { book: 'quality', scope: output.scope, results: output.records },
      }),
    },
    mask: { nothingPersonal: 'counts of customers per data quality rule, by week' },
    writes: false,
  },
  'quality.list': {
    handler: ({ scope: asked, problem, offset, limit }, context) => {
      const scope = scopeOf(context, asked);
      const listed = readersOf(context).list(
        bookFor(scope, rmIdOf(context)),
        problem,
        today().date,
        { offset, limit },
      );
      return { problem, scope, ...listed };
    },
    audit: {
      kind: 'within',
      entry: ({ problem, offset, limit }, output) => ({
        action: 'search',
        details: {
          book: `quality.${problem}`,
          scope: output.scope,
          offset,
          limit,
          results: output.items.length,
        },
      }),
    },
    mask: (output, options) => ({
      ...output,
      items: output.items.map((item) => maskListItem(item, options)),
    }),
    writes: false,
  },
};
