// Customer inputs for tests, built from the domain examples.
import { hqOwnedFields } from '../../shared/customer';
import { individualInput } from '../unit/customer/examples';

/** The fields the system assigns; a new customer's input leaves them out. */
export const systemFields = [
  'id',
  'customerNumber',
  'version',
  'updatedAt',
  'updatedBy',
  'updatedByDevice',
];

/**
 * `input` without its system fields and the fields HQ owns (the home branch aside, which a vault
 * not enrolled takes from its input): what `customer.create` takes.
 */
export function newCustomer(
  input: Record<string, unknown> = individualInput(),
): Record<string, unknown> {
  const left = [...systemFields, ...hqOwnedFields.filter((field) => field !== 'homeBranchId')];
  return Object.fromEntries(Object.entries(input).filter(([field]) => !left.includes(field)));
}
