// The check of a master record HQ sends, at the pace of a sync. The device does not trust HQ
// blindly: every record must pass customerSchema. But zod walking a record costs more than a
// hundred microseconds, most of it in zod itself (about sixty fields, each a schema with its own
// payload, checks and transforms), which made checking alone ten seconds per 100k customers.
//
// HQ stores what customerSchema returns, so what it sends is already in that form: names
// normalised, numbers compact, entries with ids. For such a record the schema's answer is the
// record itself, and storedRecord below finds that out in plain code: the same field predicates
// and the same rules between fields the schema applies (fields.ts, contacts.ts, customer.ts, …),
// over the same shapes. Whenever it is not sure (a field to normalise, anything invalid, a key
// present with the value undefined) it says so, and the schema decides. So the schema stays the
// one definition of a valid record: storedRecord only ever accepts what the schema accepts, and
// returns what the schema returns. test/unit/customer/master-record.test.ts holds the two to the
// same answer on synthetic records and on records broken at random.
import { type ValidationResult, validateEmail, validatePersonName } from '../validation';
import {
  ContactChannel,
  type Address,
  type Phone,
  addressKinds,
  checkAddressRegions,
  checkPrimaryPhones,
  isSixDigits,
  phoneKinds,
  phoneNumberE164,
} from './contacts';
import {
  type CorporateCustomer,
  type Customer,
  type IndividualCustomer,
  type MergedFrom,
  checkCorporateCustomer,
  checkIndividualCustomer,
  customerSchema,
  genders,
  segments,
} from './customer';
import { isStoredCustomerNumber } from './customer-number';
import {
  complaintChannels,
  complaintKinds,
  customerResponses,
  type Complaint,
  type ComplaintStep,
} from '../counter/complaints';
import {
  isCountryCode,
  isIsoDate,
  isIsoDateTime,
  isReferenceId,
  isStoredName,
  isStoredText,
  isUuid,
} from './fields';
import { type IdentityDocument, customerDocumentTypes, documentNumber } from './identity-documents';
import type { IssueSink } from './issues';
import { checkUniqueEntryIds, withEntryIds } from './list-entries';
import {
  type AccountSummary,
  type Consent,
  type ConsentEvidence,
  type Kyc,
  type ActionResponse,
  type Satisfaction,
  satisfactionReasons,
  type RatingProposal,
  type CampaignContact,
  type KycReview,
  type Note,
  type Restriction,
  type Task,
  type Visit,
  accountStatuses,
  consentChannels,
  consentStates,
  isUnmaskedAccountNumber,
  actionResponses,
  campaignOutcomes,
  nextActions,
  kycReviewChecks,
  kycReviewOutcomes,
  kycStatuses,
  restrictionReasons,
  riskRatings,
  taskStatuses,
  visitKinds,
} from './records';

/**
 * A master record from HQ, checked: the customer as customerSchema returns it, or undefined when
 * the schema refuses it. The single entry for records HQ sends (pull, snapshot).
 */
export function checkMasterRecord(raw: unknown): Customer | undefined {
  const stored = storedRecord(raw);
  if (stored !== undefined) return stored;
  const parsed = customerSchema.safeParse(raw);
  return parsed.success ? parsed.data : undefined;
}

/**
 * The record when it is valid and already as customerSchema returns it (then the schema's output
 * equals this one, key order included); undefined when it is not, or not surely. Exported for
 * the tests and the bench, which count how many records it answers.
 */
export function storedRecord(raw: unknown): Customer | undefined {
  if (!isFields(raw)) return undefined;
  if (raw.kind === 'individual') return storedIndividual(raw);
  if (raw.kind === 'corporate') return storedCorporate(raw);
  return undefined;
}

type Fields = Record<string, unknown>;

function isFields(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isString(value: unknown): value is string {
  return typeof value === 'string';
}

/** An optional field: absent, or valid. A key present with undefined is left to the schema. */
function optional<T>(
  fields: Fields,
  key: string,
  value: unknown,
  check: (value: unknown) => value is T,
): value is T | undefined {
  return value === undefined ? !(key in fields) : check(value);
}

function oneOf<T extends string>(values: readonly T[]): (value: unknown) => value is T {
  const set: ReadonlySet<unknown> = new Set(values);
  return (value): value is T => set.has(value);
}

// One function per predicate, not one closure made by a helper: a call site shared by all of
// them would see every test and be slow for all.
function uuid(value: unknown): value is string {
  return typeof value === 'string' && isUuid(value);
}
function referenceId(value: unknown): value is string {
  return typeof value === 'string' && isReferenceId(value);
}
function text(value: unknown): value is string {
  return typeof value === 'string' && isStoredText(value);
}
function day(value: unknown): value is string {
  return typeof value === 'string' && isIsoDate(value);
}
function instant(value: unknown): value is string {
  return typeof value === 'string' && isIsoDateTime(value);
}
function sixDigits(value: unknown): value is string {
  return typeof value === 'string' && isSixDigits(value);
}
function countryCode(value: unknown): value is string {
  return typeof value === 'string' && isCountryCode(value);
}
function customerNumber(value: unknown): value is string {
  return typeof value === 'string' && isStoredCustomerNumber(value);
}
function companyName(value: unknown): value is string {
  return typeof value === 'string' && isStoredName(value);
}
function personName(value: unknown): value is string {
  return typeof value === 'string' && unchanged(value, validatePersonName(value));
}
function latinName(value: unknown): value is string {
  return (
    typeof value === 'string' && unchanged(value, validatePersonName(value, { script: 'latin' }))
  );
}
function email(value: unknown): value is string {
  return typeof value === 'string' && unchanged(value, validateEmail(value));
}
const isGender = oneOf(genders);
const isSegment = oneOf(segments);
const isChannel = oneOf(ContactChannel.options);
const isPhoneKind = oneOf(phoneKinds);
const isAddressKind = oneOf(addressKinds);
const isDocumentType = oneOf(customerDocumentTypes);
const isKycStatus = oneOf(kycStatuses);
const isRiskRating = oneOf(riskRatings);
const isAccountStatus = oneOf(accountStatuses);
const isConsentState = oneOf(consentStates);
const isConsentChannel = oneOf(consentChannels);
const isVisitKind = oneOf(visitKinds);
const isRestrictionReason = oneOf(restrictionReasons);
const isTaskStatus = oneOf(taskStatuses);
const isReviewOutcome = oneOf(kycReviewOutcomes);
const isCampaignOutcome = oneOf(campaignOutcomes);
const isNextAction = oneOf(nextActions);
const isActionResponse = oneOf(actionResponses);
const isSatisfactionReason = oneOf(satisfactionReasons);
const isComplaintKind = oneOf(complaintKinds);
const isComplaintChannel = oneOf(complaintChannels);
const isComplaintStepStatus = oneOf([
  'acknowledged',
  'in_progress',
  'resolved',
  'escalated',
] as const);
const isCustomerResponse = oneOf(customerResponses);
const complaintRef = (value: unknown): value is string =>
  typeof value === 'string' && /^(TS|JY)\d{8}[0-9A-F]{6}$/u.test(value);
const categoryCode = (value: unknown): value is string =>
  typeof value === 'string' && /^[a-z][a-z0-9_]{0,39}$/u.test(value);
const actionAbout = (value: unknown): value is string =>
  typeof value === 'string' && /^(\d{4}-\d{2}-\d{2}|\d{4}-Q[1-4])$/u.test(value);
const isCampaignChannel = oneOf(['phone', 'sms', 'email'] as const);
const isReviewCheck = oneOf(kycReviewChecks);
const isReviewLevel = oneOf(['low', 'medium', 'high', 'prohibited'] as const);

function isBoolean(value: unknown): value is boolean {
  return typeof value === 'boolean';
}

function isBalance(value: unknown): value is number {
  // z.number().int().min(0).max(1e13): whole yuan.
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 1e13;
}

function isVersion(value: unknown): value is number {
  // z.number().int().positive(): a safe integer above zero.
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0;
}

/** A validator's answer is the stored form when it accepts the text and changes nothing. */
function unchanged(input: string, result: ValidationResult<string>): boolean {
  return result.ok && result.value === input;
}

/** An issue sink that only remembers that something was refused. */
class Refusals implements IssueSink {
  refused = false;
  addIssue(): void {
    this.refused = true;
  }
}

/** Each entry read by `read`; undefined when the value is not an array or any entry is unsure. */
function storedList<T>(value: unknown, read: (raw: unknown) => T | undefined): T[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const list: T[] = [];
  for (let index = 0; index < value.length; index++) {
    const entry = read(value[index]);
    if (entry === undefined) return undefined;
    list.push(entry);
  }
  return list;
}

/** A list whose entries carry unique ids, as entriesWithUniqueIds and entryListSchema ask. */
function withUniqueIds<T extends { id: string }>(list: T[] | undefined): T[] | undefined {
  if (list === undefined || list.length < 2) return list;
  const refusals = new Refusals();
  checkUniqueEntryIds(list, refusals);
  return refusals.refused ? undefined : list;
}

function storedDocument(raw: unknown): IdentityDocument | undefined {
  if (!isFields(raw)) return undefined;
  const { type, number, issuedBy, issuedOn, expiresOn, issuingCountry } = raw;
  if (
    !isDocumentType(type) ||
    !isString(number) ||
    !optional(raw, 'issuedBy', issuedBy, text) ||
    !optional(raw, 'issuedOn', issuedOn, day) ||
    !(expiresOn === null || day(expiresOn)) ||
    !optional(raw, 'issuingCountry', issuingCountry, countryCode)
  )
    return undefined;
  const document: IdentityDocument = {
    type,
    number,
    ...(issuedBy === undefined ? {} : { issuedBy }),
    ...(issuedOn === undefined ? {} : { issuedOn }),
    expiresOn,
    ...(issuingCountry === undefined ? {} : { issuingCountry }),
  };
  return documentNumber(document, new Refusals()) === number ? document : undefined;
}

function storedPhone(raw: unknown): Phone | undefined {
  if (!isFields(raw)) return undefined;
  const { id, kind, e164, primary } = raw;
  if (
    !optional(raw, 'id', id, uuid) ||
    !isPhoneKind(kind) ||
    !isString(e164) ||
    !optional(raw, 'primary', primary, isBoolean) ||
    phoneNumberE164(kind, e164, new Refusals()) !== e164
  )
    return undefined;
  const phone: Phone = id === undefined ? { kind, e164 } : { id, kind, e164 };
  if (primary !== undefined) phone.primary = primary;
  return phone;
}

function storedPhones(value: unknown): (Phone & { id: string })[] | undefined {
  const phones = withUniqueIds(withIds(storedList(value, storedPhone)));
  if (phones === undefined) return undefined;
  const refusals = new Refusals();
  checkPrimaryPhones(phones, refusals);
  return refusals.refused ? undefined : phones;
}

/** The list with ids where missing, as entryListSchema gives them (withEntryIds). */
function withIds<T extends { id?: string | undefined }>(
  list: T[] | undefined,
): (T & { id: string })[] | undefined {
  if (list === undefined) return undefined;
  // Stored lists have ids. withEntryIds would return the same entries; the uniqueness of the
  // ids is checked after, either way.
  if (list.every((entry) => entry.id !== undefined)) return list as (T & { id: string })[];
  return withEntryIds(list);
}

function storedAddress(raw: unknown): Address | undefined {
  if (!isFields(raw)) return undefined;
  const { id, kind, provinceCode, cityCode, districtCode, line, postcode } = raw;
  if (
    !optional(raw, 'id', id, uuid) ||
    !isAddressKind(kind) ||
    !sixDigits(provinceCode) ||
    !sixDigits(cityCode) ||
    !sixDigits(districtCode) ||
    !text(line) ||
    !optional(raw, 'postcode', postcode, sixDigits)
  )
    return undefined;
  const address: Address =
    id === undefined
      ? { kind, provinceCode, cityCode, districtCode, line }
      : { id, kind, provinceCode, cityCode, districtCode, line };
  if (postcode !== undefined) address.postcode = postcode;
  const refusals = new Refusals();
  checkAddressRegions(address, refusals);
  return refusals.refused ? undefined : address;
}

function storedKyc(raw: unknown): Kyc | undefined {
  if (!isFields(raw)) return undefined;
  const { status, lastReviewedOn, nextReviewDue, riskRating, pep, sanctionsHit, sourceOfFunds } =
    raw;
  if (
    !isKycStatus(status) ||
    !optional(raw, 'lastReviewedOn', lastReviewedOn, day) ||
    !day(nextReviewDue) ||
    !isRiskRating(riskRating) ||
    !isBoolean(pep) ||
    !isBoolean(sanctionsHit) ||
    !optional(raw, 'sourceOfFunds', sourceOfFunds, text)
  )
    return undefined;
  const kyc: Kyc =
    lastReviewedOn === undefined
      ? { status, nextReviewDue, riskRating, pep, sanctionsHit }
      : { status, lastReviewedOn, nextReviewDue, riskRating, pep, sanctionsHit };
  if (sourceOfFunds !== undefined) kyc.sourceOfFunds = sourceOfFunds;
  return kyc;
}

function storedAccount(raw: unknown): AccountSummary | undefined {
  if (!isFields(raw)) return undefined;
  const { product, maskedNumber, status, openedOn, closedOn, balance, maturesOn } = raw;
  if (
    !text(product) ||
    !isString(maskedNumber) ||
    isUnmaskedAccountNumber(maskedNumber) ||
    !isAccountStatus(status) ||
    !day(openedOn) ||
    !optional(raw, 'closedOn', closedOn, day) ||
    !optional(raw, 'balance', balance, isBalance) ||
    !optional(raw, 'maturesOn', maturesOn, day)
  )
    return undefined;
  return {
    product,
    maskedNumber,
    status,
    openedOn,
    ...(closedOn === undefined ? {} : { closedOn }),
    ...(balance === undefined ? {} : { balance }),
    ...(maturesOn === undefined ? {} : { maturesOn }),
  };
}

function storedEvidence(raw: unknown): raw is ConsentEvidence {
  if (!isFields(raw)) return false;
  return (
    raw.kind === 'customer_screen' || (raw.kind === 'paper_form' && referenceId(raw.reference))
  );
}

function storedConsent(raw: unknown): Consent | undefined {
  if (!isFields(raw)) return undefined;
  const { id, purpose, state, at, channel, noticeVersion, capturedBy, evidence, expiresOn } = raw;
  if (
    !optional(raw, 'id', id, uuid) ||
    !text(purpose) ||
    !isConsentState(state) ||
    !instant(at) ||
    !isConsentChannel(channel) ||
    !optional(raw, 'noticeVersion', noticeVersion, referenceId) ||
    !optional(raw, 'capturedBy', capturedBy, referenceId) ||
    !optional(raw, 'evidence', evidence, storedEvidence) ||
    !optional(raw, 'expiresOn', expiresOn, day)
  )
    return undefined;
  // Keys in the schema's order, as the schema returns them (the record's hash depends on it).
  const consent: Fields = {};
  if (id !== undefined) consent.id = id;
  consent.purpose = purpose;
  consent.state = state;
  consent.at = at;
  consent.channel = channel;
  if (noticeVersion !== undefined) consent.noticeVersion = noticeVersion;
  if (capturedBy !== undefined) consent.capturedBy = capturedBy;
  if (evidence !== undefined)
    consent.evidence =
      evidence.kind === 'paper_form'
        ? { kind: 'paper_form', reference: evidence.reference }
        : { kind: 'customer_screen' };
  if (expiresOn !== undefined) consent.expiresOn = expiresOn;
  return consent as Consent;
}

function storedRestriction(raw: unknown): raw is Restriction {
  return (
    isFields(raw) &&
    instant(raw.since) &&
    isRestrictionReason(raw.reason) &&
    optional(raw, 'until', raw.until, day)
  );
}

function storedMergedFrom(raw: unknown): MergedFrom | undefined {
  if (!isFields(raw) || Object.keys(raw).length !== 4) return undefined;
  const { customerId, customerNumber: number, mergeId, at } = raw;
  if (!uuid(customerId) || !customerNumber(number) || !uuid(mergeId) || !instant(at))
    return undefined;
  return { customerId, customerNumber: number, mergeId, at };
}

function storedNote(raw: unknown): Note | undefined {
  if (!isFields(raw)) return undefined;
  const { id, at, author, text: written } = raw;
  if (!uuid(id) || !instant(at) || !referenceId(author) || !text(written)) return undefined;
  return { id, at, author, text: written };
}

function storedVisit(raw: unknown): Visit | undefined {
  if (!isFields(raw)) return undefined;
  const { id, at, author, kind, text: written } = raw;
  if (
    !uuid(id) ||
    !instant(at) ||
    !referenceId(author) ||
    !isVisitKind(kind) ||
    !optional(raw, 'text', written, text)
  )
    return undefined;
  return written === undefined ? { id, at, author, kind } : { id, at, author, kind, text: written };
}

function storedKycReview(raw: unknown): KycReview | undefined {
  if (!isFields(raw)) return undefined;
  const { id, at, reviewer, outcome, checked, note, level, ruleVersion, nextReviewDue } = raw;
  if (
    !uuid(id) ||
    !instant(at) ||
    !referenceId(reviewer) ||
    !isReviewOutcome(outcome) ||
    !Array.isArray(checked) ||
    !checked.every(isReviewCheck) ||
    !optional(raw, 'note', note, text) ||
    !isReviewLevel(level) ||
    !referenceId(ruleVersion) ||
    !day(nextReviewDue)
  )
    return undefined;
  return {
    id,
    at,
    reviewer,
    outcome,
    checked: [...checked],
    ...(note === undefined ? {} : { note }),
    level,
    ruleVersion,
    nextReviewDue,
  };
}

function storedCampaignContact(raw: unknown): CampaignContact | undefined {
  if (!isFields(raw)) return undefined;
  const { id, campaignId, at, by, channel, outcome } = raw;
  if (
    !uuid(id) ||
    !referenceId(campaignId) ||
    !instant(at) ||
    !referenceId(by) ||
    !isCampaignChannel(channel) ||
    !isCampaignOutcome(outcome)
  )
    return undefined;
  return { id, campaignId, at, by, channel, outcome };
}

function storedRatingProposal(raw: unknown): RatingProposal | undefined {
  if (!isFields(raw)) return undefined;
  const { id, level, reason, at, by } = raw;
  if (!uuid(id) || !isRiskRating(level) || !text(reason) || !instant(at) || !referenceId(by))
    return undefined;
  return { id, level, reason, at, by };
}

function storedActionResponse(raw: unknown): ActionResponse | undefined {
  if (!isFields(raw)) return undefined;
  const { id, action, about, response, at, by } = raw;
  if (
    !uuid(id) ||
    !isNextAction(action) ||
    !actionAbout(about) ||
    !isActionResponse(response) ||
    !instant(at) ||
    !referenceId(by)
  )
    return undefined;
  return { id, action, about, response, at, by };
}

function storedSatisfaction(raw: unknown): Satisfaction | undefined {
  if (!isFields(raw)) return undefined;
  const { id, visitId, score, reason, at, servedBy } = raw;
  if (
    !uuid(id) ||
    !uuid(visitId) ||
    typeof score !== 'number' ||
    !Number.isInteger(score) ||
    score < 1 ||
    score > 5 ||
    !optional(raw, 'reason', reason, isSatisfactionReason) ||
    !instant(at) ||
    !referenceId(servedBy)
  )
    return undefined;
  return reason === undefined
    ? { id, visitId, score, at, servedBy }
    : { id, visitId, score, reason, at, servedBy };
}

function storedComplaint(raw: unknown): Complaint | undefined {
  if (!isFields(raw)) return undefined;
  const { id, reference, kind, channel, category, description, request } = raw;
  const { receivedAt, receivedBy, owner, acknowledgeBy, resolveBy } = raw;
  if (
    !uuid(id) ||
    !complaintRef(reference) ||
    !isComplaintKind(kind) ||
    !isComplaintChannel(channel) ||
    !categoryCode(category) ||
    !text(description) ||
    !optional(raw, 'request', request, text) ||
    !instant(receivedAt) ||
    !referenceId(receivedBy) ||
    !referenceId(owner) ||
    !optional(raw, 'acknowledgeBy', acknowledgeBy, day) ||
    !optional(raw, 'resolveBy', resolveBy, day)
  )
    return undefined;
  // Keys in the schema's order, as zod gives them.
  const complaint = { id, reference, kind, channel, category, description } as Complaint;
  if (request !== undefined) complaint.request = request;
  complaint.receivedAt = receivedAt;
  complaint.receivedBy = receivedBy;
  complaint.owner = owner;
  if (acknowledgeBy !== undefined) complaint.acknowledgeBy = acknowledgeBy;
  if (resolveBy !== undefined) complaint.resolveBy = resolveBy;
  return complaint;
}

function storedComplaintStep(raw: unknown): ComplaintStep | undefined {
  if (!isFields(raw)) return undefined;
  const { id, complaintId, status, at, by, note, resolution, customerResponse } = raw;
  if (
    !uuid(id) ||
    !uuid(complaintId) ||
    !isComplaintStepStatus(status) ||
    !instant(at) ||
    !referenceId(by) ||
    !optional(raw, 'note', note, text) ||
    !optional(raw, 'resolution', resolution, text) ||
    !optional(raw, 'customerResponse', customerResponse, isCustomerResponse)
  )
    return undefined;
  const step: ComplaintStep = { id, complaintId, status, at, by };
  if (note !== undefined) step.note = note;
  if (resolution !== undefined) step.resolution = resolution;
  if (customerResponse !== undefined) step.customerResponse = customerResponse;
  return step;
}

function storedTask(raw: unknown): Task | undefined {
  if (!isFields(raw)) return undefined;
  const { id, title, dueOn, status, assignee, cleansing } = raw;
  if (!uuid(id) || !text(title) || !day(dueOn) || !isTaskStatus(status) || !referenceId(assignee))
    return undefined;
  if (cleansing === undefined)
    return 'cleansing' in raw ? undefined : { id, title, dueOn, status, assignee };
  if (typeof cleansing !== 'string' || !/^[a-z][a-z_]{0,39}$/u.test(cleansing)) return undefined;
  return { id, title, dueOn, status, assignee, cleansing };
}

/** How a kind of customer's names are checked: a person's by the name rules, a company's not. */
interface NameChecks {
  legal: (value: unknown) => value is string;
  chinese: (value: unknown) => value is string;
  latin: (value: unknown) => value is string;
}

const personNames: NameChecks = { legal: personName, chinese: personName, latin: latinName };
const companyNames: NameChecks = { legal: companyName, chinese: companyName, latin: companyName };

/**
 * The fields every customer has, in the schema's order, written into `customer` (the kind is
 * already there). False when any is not surely as the schema returns it.
 */
function storedCommonFields(raw: Fields, names: NameChecks, customer: Fields): boolean {
  const { id, version, updatedAt, updatedBy, updatedByDevice } = raw;
  const { legalName, chineseName, pinyinName, englishName } = raw;
  if (
    !uuid(id) ||
    !customerNumber(raw.customerNumber) ||
    !isVersion(version) ||
    !instant(updatedAt) ||
    !referenceId(updatedBy) ||
    !referenceId(updatedByDevice) ||
    !names.legal(legalName) ||
    !optional(raw, 'chineseName', chineseName, names.chinese) ||
    !optional(raw, 'pinyinName', pinyinName, names.latin) ||
    !optional(raw, 'englishName', englishName, names.latin)
  )
    return false;
  const identityDocuments = storedList(raw.identityDocuments, storedDocument);
  const phones = storedPhones(raw.phones);
  const { email: address, preferredChannel, homeBranchId, assignedRmId } = raw;
  if (
    identityDocuments === undefined ||
    phones === undefined ||
    !optional(raw, 'email', address, email) ||
    !isChannel(preferredChannel)
  )
    return false;
  const addresses = withUniqueIds(withIds(storedList(raw.addresses, storedAddress)));
  const kyc = storedKyc(raw.kyc);
  const kycReviews =
    raw.kycReviews === undefined
      ? undefined
      : withUniqueIds(storedList(raw.kycReviews, storedKycReview));
  // Absent, or valid: a key present with undefined is left to the schema, as optional() does.
  if (kycReviews === undefined && 'kycReviews' in raw) return false;
  const campaignContacts =
    raw.campaignContacts === undefined
      ? undefined
      : withUniqueIds(storedList(raw.campaignContacts, storedCampaignContact));
  if (campaignContacts === undefined && 'campaignContacts' in raw) return false;
  const actionResponses =
    raw.actionResponses === undefined
      ? undefined
      : withUniqueIds(storedList(raw.actionResponses, storedActionResponse));
  if (actionResponses === undefined && 'actionResponses' in raw) return false;
  const ratingProposals =
    raw.ratingProposals === undefined
      ? undefined
      : withUniqueIds(storedList(raw.ratingProposals, storedRatingProposal));
  if (ratingProposals === undefined && 'ratingProposals' in raw) return false;
  const satisfaction =
    raw.satisfaction === undefined
      ? undefined
      : withUniqueIds(storedList(raw.satisfaction, storedSatisfaction));
  if (satisfaction === undefined && 'satisfaction' in raw) return false;
  const complaints =
    raw.complaints === undefined
      ? undefined
      : withUniqueIds(storedList(raw.complaints, storedComplaint));
  if (complaints === undefined && 'complaints' in raw) return false;
  const complaintSteps =
    raw.complaintSteps === undefined
      ? undefined
      : withUniqueIds(storedList(raw.complaintSteps, storedComplaintStep));
  if (complaintSteps === undefined && 'complaintSteps' in raw) return false;
  const { segment } = raw;
  if (
    addresses === undefined ||
    kyc === undefined ||
    !isSegment(segment) ||
    !referenceId(homeBranchId) ||
    !optional(raw, 'assignedRmId', assignedRmId, referenceId)
  )
    return false;
  const accounts = storedList(raw.accounts, storedAccount);
  const consents = storedList(raw.consents, storedConsent);
  const notes = withUniqueIds(storedList(raw.notes, storedNote));
  const visits = withUniqueIds(storedList(raw.visits, storedVisit));
  const tasks = withUniqueIds(storedList(raw.tasks, storedTask));
  const { restriction } = raw;
  if (!optional(raw, 'restriction', restriction, storedRestriction)) return false;
  const mergedFrom =
    raw.mergedFrom === undefined ? undefined : storedList(raw.mergedFrom, storedMergedFrom);
  if (mergedFrom === undefined && 'mergedFrom' in raw) return false;
  if (
    accounts === undefined ||
    consents === undefined ||
    notes === undefined ||
    visits === undefined ||
    tasks === undefined
  )
    return false;

  customer.id = id;
  customer.customerNumber = raw.customerNumber;
  customer.version = version;
  customer.updatedAt = updatedAt;
  customer.updatedBy = updatedBy;
  customer.updatedByDevice = updatedByDevice;
  customer.legalName = legalName;
  if (chineseName !== undefined) customer.chineseName = chineseName;
  if (pinyinName !== undefined) customer.pinyinName = pinyinName;
  if (englishName !== undefined) customer.englishName = englishName;
  customer.identityDocuments = identityDocuments;
  customer.phones = phones;
  if (address !== undefined) customer.email = address;
  customer.preferredChannel = preferredChannel;
  customer.addresses = addresses;
  customer.kyc = kyc;
  if (kycReviews !== undefined) customer.kycReviews = kycReviews;
  if (campaignContacts !== undefined) customer.campaignContacts = campaignContacts;
  if (ratingProposals !== undefined) customer.ratingProposals = ratingProposals;
  if (actionResponses !== undefined) customer.actionResponses = actionResponses;
  if (satisfaction !== undefined) customer.satisfaction = satisfaction;
  if (complaints !== undefined) customer.complaints = complaints;
  if (complaintSteps !== undefined) customer.complaintSteps = complaintSteps;
  customer.segment = segment;
  customer.homeBranchId = homeBranchId;
  if (assignedRmId !== undefined) customer.assignedRmId = assignedRmId;
  customer.accounts = accounts;
  customer.consents = consents;
  customer.notes = notes;
  customer.visits = visits;
  customer.tasks = tasks;
  if (restriction !== undefined) {
    const { since, reason, until } = restriction;
    customer.restriction = until === undefined ? { since, reason } : { since, reason, until };
  }
  if (mergedFrom !== undefined) customer.mergedFrom = mergedFrom;
  return true;
}

function storedIndividual(raw: Fields): IndividualCustomer | undefined {
  const built: Fields = { kind: 'individual' };
  if (!storedCommonFields(raw, personNames, built)) return undefined;
  const { gender, birthDate, nationality, occupation, employer } = raw;
  if (
    !isGender(gender) ||
    !day(birthDate) ||
    !countryCode(nationality) ||
    !optional(raw, 'occupation', occupation, text) ||
    !optional(raw, 'employer', employer, text)
  )
    return undefined;
  built.gender = gender;
  built.birthDate = birthDate;
  built.nationality = nationality;
  if (occupation !== undefined) built.occupation = occupation;
  if (employer !== undefined) built.employer = employer;
  // Every field has been checked against its schema above, so `built` has the fields' type.
  const customer = built as IndividualCustomer;
  const refusals = new Refusals();
  checkIndividualCustomer(customer, refusals);
  return refusals.refused ? undefined : customer;
}

function storedCorporate(raw: Fields): CorporateCustomer | undefined {
  const built: Fields = { kind: 'corporate' };
  if (!storedCommonFields(raw, companyNames, built)) return undefined;
  const customer = built as CorporateCustomer;
  const refusals = new Refusals();
  checkCorporateCustomer(customer, refusals);
  return refusals.refused ? undefined : customer;
}
