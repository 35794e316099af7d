// What a database error says about a push: that the data is wrong (store the mutation refused,
// for good), or that another transaction got in the way (try again; never store it).
import type { Sql } from './database';

function sqlState(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * Lost a race with a concurrent transaction: a unique violation (a customer number or id taken a
 * moment ago), a serialization failure or a deadlock. The same work run again sees the winner.
 */
export function isContention(error: unknown): boolean {
  const code = sqlState(error);
  return code === '23505' || code === '40001' || code === '40P01';
}

/**
 * PostgreSQL's data exceptions (class 22) and integrity violations (class 23) other than a unique
 * violation: the mutation's own data is wrong (a NUL in a text, a value out of range).
 */
export function isDataError(error: unknown): boolean {
  const code = sqlState(error);
  return code !== undefined && /^2[23][0-9A-Z]{3}$/.test(code) && !isContention(error);
}

/** A unique violation of `constraint`. */
export function violates(error: unknown, constraint: string): boolean {
  return (
    sqlState(error) === '23505' &&
    (error as { constraint?: unknown } | null)?.constraint === constraint
  );
}

/**
 * Runs `work` inside a savepoint: an error `refused` accepts rolls back just that work and gives
 * undefined, and the transaction goes on; any other error ends it.
 */
export async function underSavepoint<T>(
  tx: Sql,
  work: () => Promise<T>,
  refused: (error: unknown) => boolean,
): Promise<T | undefined> {
  await tx.query('SAVEPOINT attempt');
  try {
    const result = await work();
    await tx.query('RELEASE SAVEPOINT attempt');
    return result;
  } catch (error) {
    if (!refused(error)) throw error;
    await tx.query('ROLLBACK TO SAVEPOINT attempt');
    return undefined;
  }
}
