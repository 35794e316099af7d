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

/**
 * How records are packed now, for a packer on another thread (record-packer.ts): the format
 * byte, then the JSON deflated raw with this dictionary. `packRecord` is the statement of it.
 */
export const CURRENT_PACKING = { format: FORMAT_DEFLATE_1, dictionary: DICTIONARY_1 } as const;

/** The record as the vault keeps it (the `customer.record` column). */
export function packRecord(customer: Customer): Buffer {
  return packRecordJson(JSON.stringify(customer));
}

/** `packRecord` of a record already written as JSON text. */
export function packRecordJson(json: string): Buffer {
  const packed = deflateRawSync(json, { dictionary: DICTIONARY_1 });
  const stored = Buffer.allocUnsafe(packed.length + 1);
  stored[0] = FORMAT_DEFLATE_1;
  packed.copy(stored, 1);
  return stored;
}

/** The record `packRecord` kept, as JSON text. */
export function unpackRecordJson(stored: Uint8Array): string {
  if (stored[0] !== FORMAT_DEFLATE_1)
    throw new Error(`unknown record format ${stored[0] ?? '(empty)'}`);
  return inflateRawSync(stored.subarray(1), { dictionary: DICTIONARY_1 }).toString('utf8');
}

/** The record `packRecord` kept. */
export function unpackRecord(stored: Uint8Array): Customer {
  return JSON.parse(unpackRecordJson(stored)) as Customer;
}
