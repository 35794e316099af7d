// Customer inputs for tests, built from the domain examples.
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

/** `input` without its system fields: what `customer.create` takes. */
export function newCustomer(
  input: Record<string, unknown> = individualInput(),
): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(input).filter(([field]) => !systemFields.includes(field)),
  );
}
