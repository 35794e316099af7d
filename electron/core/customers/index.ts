export { CustomerService, identityFieldsIn, type Actor, type WriteResult } from './service';
export { CustomerStore, prepareInsert, type PreparedInsert, type StoredCustomer } from './store';
export {
  findDuplicates,
  similarNames,
  type DuplicateReport,
  type ProbableDuplicate,
} from './duplicates';
export { customerTerms } from './terms';
export { packRecord, unpackRecord, unpackRecordJson } from './record-codec';
export { RecordPacker } from './record-packer';
