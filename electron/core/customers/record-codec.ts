// How a customer's record is kept in the vault: its JSON compressed with a preset dictionary.
//
// A record is about 1.9 KB of JSON, and with its row it came to 2.3 KB: one row to a 4 KB page,
// so nearly half of every page was empty and the vault took ~4.6 KB a customer. Deflate alone
// gains little on text this short (1.9 KB to ~1.05 KB), because every record starts cold: the
// keys, the enum values and the words of Chinese addresses are new to it each time. A preset
// dictionary holding them (RFC 1951 back-references into text both sides know beforehand) brings
// a record to ~0.5 KB. Compressing happens before SQLCipher encrypts the page, so it costs
// nothing of the protection at rest.
//
// The first byte says how the rest is encoded. The dictionary of a format never changes: a
// record written with it must read back for as long as the vault lives. A better dictionary is a
// new format byte beside this one, never an edit of it.
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { Customer } from '../../../shared/customer';

/** Deflate (raw, RFC 1951) with `DICTIONARY_1` preset. */
const FORMAT_DEFLATE_1 = 1;

/**
 * The text a record is most likely to repeat, most frequent last (deflate's back-references
 * are cheapest to what is nearest). Built from the schema: its keys in the order records carry
 * them, its enum values, and the words of addresses, issuing authorities and products; no
 * customer's data.
 */
const DICTIONARY_1 = Buffer.from(
  [
    '"tasks":[{"id":"","title":"","dueOn":"","status":"done","assignee":""}]',
    '"status":"cancelled"',
    '{"kind":"business_premises"}{"kind":"video"}{"kind":"home"}',
    '"kyc":{"status":"review_required","nextReviewDue":"","riskRating":"high","pep":true,"sanctionsHit":true,"lastReviewedOn":"","sourceOfFunds":"经营收入"}',
    '"status":"pending""status":"rejected""riskRating":"medium"',
    '"kind":"corporate","legalName":"有限公司","chineseName":"股份有限公司",',
    '"type":"uscc","issuedBy":"市场监督管理局","type":"passport","type":"hk_macau_permit"',
    '"kind":"registered","kind":"office","kind":"landline",',
    '"segment":"private_banking""segment":"affluent"',
    '"status":"dormant""status":"frozen""status":"closed"',
    '"product":"理财产品""product":"定期存款""product":"活期储蓄""product":"信用卡"',
    '"channel":"mobile_app""channel":"online_banking""channel":"phone"',
    '"purpose":"credit_reference""purpose":"group_data_sharing""purpose":"marketing"',
    '"state":"withdrawn"',
    '"email":"@example.com","assignedRmId":"',
    '"preferredChannel":"email""preferredChannel":"sms""preferredChannel":"phone"',
    '"gender":"female"',
    '"kind":"mailing","provinceCode":"0000","cityCode":"00","districtCode":"","line":"路号',
    '号楼单元室街道小区大厦层',
    '"tasks":[],"pinyinName":"","occupation":"',
    '"visits":[{"id":"","at":"T:00+08:00","author":"-rm-0","kind":"branch"}],',
    '"notes":[{"id":"","at":"T+08:00","author":"-teller-01","text":"客户"}],',
    '"consents":[{"purpose":"","state":"granted","at":"T+08:00","channel":"branch"}],',
    '"segment":"mass","homeBranchId":"B0","accounts":[{"product":"借记卡","maskedNumber":" **** **** ","status":"active","openedOn":"20"}],',
    '"kyc":{"status":"verified","nextReviewDue":"20","riskRating":"low","pep":false,"sanctionsHit":false,"lastReviewedOn":"20"},',
    '"preferredChannel":"branch","addresses":[{"kind":"residential","provinceCode":"0000","cityCode":"00","districtCode":"","line":"路号号楼单元室","postcode":"","id":"00000000-0000-8000-8000-00000000000"}],',
    '"phones":[{"kind":"mobile","e164":"+861","primary":true,"id":"00000000-0000-8000-8000-00000000000"}],',
    '"identityDocuments":[{"type":"resident_id","number":"","issuedBy":"市公安局分局","issuedOn":"","expiresOn":null}],',
    '{"kind":"individual","id":"","customerNumber":"C","version":1,"updatedAt":"2026-T:+08:00","updatedBy":"","updatedByDevice":"-dev-01","legalName":"","chineseName":"","gender":"male","birthDate":"19","nationality":"CHN",',
  ].join(''),
);

/** A customer's list item (shared/customer/list-item.ts) deflated with `LIST_DICTIONARY_1`. */
const FORMAT_LIST_1 = 2;

/**
 * A list item's keys in the order it carries them and their enum values (vault migration 27).
 * The same reasoning as the record's: ~340 bytes of JSON go to ~120 with it, ~250 without.
 */
const LIST_DICTIONARY_1 = Buffer.from(
  [
    '"identityDocumentType":"passport""identityDocumentType":"hk_macau_permit"',
    '"identityDocumentType":"business_licence","kind":"corporate""restricted":true',
    '"segment":"private_banking""segment":"affluent""riskRating":"high""riskRating":"medium"',
    '"gender":"male"',
    '{"id":"","customerNumber":"C","kind":"individual","displayName":"","identityDocumentType":"resident_id","identityDocumentNumber":"","primaryPhone":"+861","segment":"mass","riskRating":"low","hasPendingChanges":false,"gender":"female","birthDate":"19',
  ].join(''),
);

/** The book's facts of a customer (shared/insight/book.ts) deflated with `FACTS_DICTIONARY_1`. */
const FORMAT_FACTS_1 = 3;

/** The facts' keys in the order they carry them, and their enum values (~440 bytes to ~110). */
const FACTS_DICTIONARY_1 = Buffer.from(
  [
    '"kind":"corporate""restricted":true"lastClosedOn":"20"complaintDue":"20"qualityFlags":',
    '"segment":"private_banking""segment":"affluent""risk":"high""risk":"medium"',
    '{"status":"frozen"}{"status":"closed"}{"status":"dormant"}',
    '{"kind":"business_premises"}{"kind":"video"}{"kind":"home"}{"kind":"phone"}',
    '"preferredChannel":"email""preferredChannel":"sms""preferredChannel":"phone"',
    '"tasks":[{"id":"","title":"","dueOn":"20","assignee":""}]',
    '{"kind":"individual","rm":"-rm-0","segment":"mass","risk":"low","kyc":{"pep":false,"sanctionsHit":false,"nextReviewDue":"20","lastReviewedOn":"20"},"accounts":[{"status":"active"}],"visits":[{"kind":"branch"}],"preferredChannel":"branch","birthDate":"19","nationality":"CHN","occupation":"","documentExpiresOn":"20","lastVisitOn":"20","tasks":[],"aum":,"maturesOn":"20","since":"20","confirmedOn":"20',
  ].join(''),
);

/** The packings of JSON the vault keeps, by format byte: each one's dictionary never changes. */
const DICTIONARIES: Readonly<Record<number, Buffer>> = {
  [FORMAT_DEFLATE_1]: DICTIONARY_1,
  [FORMAT_LIST_1]: LIST_DICTIONARY_1,
  [FORMAT_FACTS_1]: FACTS_DICTIONARY_1,
};

/**
 * How each kind of JSON is packed now, for a packer on another thread (record-packer.ts): the
 * format byte, then the JSON deflated raw with that format's dictionary. `packJson` is the
 * statement of it.
 */
export const CURRENT_PACKINGS = {
  record: { format: FORMAT_DEFLATE_1, dictionary: DICTIONARY_1 },
  listItem: { format: FORMAT_LIST_1, dictionary: LIST_DICTIONARY_1 },
  facts: { format: FORMAT_FACTS_1, dictionary: FACTS_DICTIONARY_1 },
} as const;

export type PackedKind = keyof typeof CURRENT_PACKINGS;

/** JSON text of `kind` as the vault keeps it. */
export function packJson(kind: PackedKind, json: string): Buffer {
  const { format, dictionary } = CURRENT_PACKINGS[kind];
  const packed = deflateRawSync(json, { dictionary });
  const stored = Buffer.allocUnsafe(packed.length + 1);
  stored[0] = format;
  packed.copy(stored, 1);
  return stored;
}

/** The JSON text `packJson` kept (of any kind: the format byte names its dictionary). */
export function unpackJson(stored: Uint8Array): string {
  const dictionary = DICTIONARIES[stored[0] ?? -1];
  if (!dictionary) throw new Error(`unknown packed format ${stored[0] ?? '(empty)'}`);
  return inflateRawSync(stored.subarray(1), { dictionary }).toString('utf8');
}

/** The record as the vault keeps it (the `customer.record` column). */
export function packRecord(customer: Customer): Buffer {
  return packRecordJson(JSON.stringify(customer));
}

/** `packRecord` of a record already written as JSON text. */
export function packRecordJson(json: string): Buffer {
  return packJson('record', json);
}

/** The record `packRecord` kept, as JSON text. */
export function unpackRecordJson(stored: Uint8Array): string {
  if (stored[0] !== FORMAT_DEFLATE_1)
    throw new Error(`unknown record format ${stored[0] ?? '(empty)'}`);
  return unpackJson(stored);
}

/** The record `packRecord` kept. */
export function unpackRecord(stored: Uint8Array): Customer {
  return JSON.parse(unpackRecordJson(stored)) as Customer;
}
