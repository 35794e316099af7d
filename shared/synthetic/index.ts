// Synthetic customers for demos, load tests and benchmarks: deterministic, valid, streamable.
export {
  DEFAULT_SYNTHETIC_TODAY,
  type GenerateCustomersOptions,
  type SyntheticCustomerOptions,
  generateCustomer,
  generateCustomers,
} from './generate';
