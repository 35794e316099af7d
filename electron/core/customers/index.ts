export { CustomerService, identityFieldsIn, type Actor, type WriteResult } from './service';
export {
  CustomerStore,
  customerJson,
  packCustomerJson,
  prepareInsert,
  readFacts,
  readListItem,
  type CustomerJson,
  type PackedCustomer,
  type PreparedInsert,
  type StoredCustomer,
} from './store';
export {
  findDuplicates,
  similarNames,
  type DuplicateReport,
  type ProbableDuplicate,
} from './duplicates';
export { customerTerms, termsStamp } from './terms';
export { packJson, packRecord, unpackJson, unpackRecord, unpackRecordJson } from './record-codec';
export { RecordPacker, type Packed } from './record-packer';
