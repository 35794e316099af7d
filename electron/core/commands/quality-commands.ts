// Data quality at the desk (docs/QUALITY.md): a book's score and the customers behind a problem,
// from the book's columns (quality/score.ts), offline. Reading either lists or counts customers of
// a book, so each call is audited as a search (which book, which problem, how many), like the
// home's. Reading the score keeps it as this week's, for the trend.
import { maskListItem } from '../../../shared/access/masking';
import { bookFor } from '../insight/book';
import { QualityReader } from '../quality/score';
import type { CommandDefinitions, CommandsOf } from './define';
import { rmIdOf, scopeOf, today } from './insight-commands';
import { perVault } from './per-vault';

const readersOf = perVault((vault) => new QualityReader(vault));

export const qualityCommands: CommandDefinitions<CommandsOf<'quality'>> = {
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
