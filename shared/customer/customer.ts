// The customer: retail (个人客户) and corporate (对公客户), one discriminated union on `kind`.
// Field schemas check each field; the superRefines here check fields against each other.
import { complaintSchema, complaintStepSchema } from '../counter/complaints';
import { z } from 'zod';
import {
  compareDates,
  localToday,
  parseIsoDate,
  validateIdentityDocumentConsistency,
} from '../validation';
import { emailSchema, latinPersonNameSchema, personNameSchema } from '../validation';
import { ContactChannel, addressesSchema, phonesSchema } from './contacts';
import { customerNumberSchema } from './customer-number';
import {
  countryCodeSchema,
  freeTextSchema,
  isoDateSchema,
  isoDateTime,
  nameSchema,
  referenceIdSchema,
} from './fields';
import {
  type IdentityDocument,
  corporateDocumentTypes,
  identityDocumentSchema,
  isPersonalDocumentType,
} from './identity-documents';
import { type IssueSink, addCustomerIssue, addValidationErrors } from './issues';
import {
  accountSummarySchema,
  consentSchema,
  restrictionSchema,
  entriesWithUniqueIds,
  actionResponseSchema,
  satisfactionSchema,
  ratingProposalSchema,
  campaignContactSchema,
  kycReviewSchema,
  kycSchema,
  noteSchema,
  taskSchema,
  visitSchema,
} from './records';

/** A customer record merged into this one: its id and number, the merge, and when. */
export const mergedFromSchema = z
  .object({
    customerId: z.uuid(),
    customerNumber: customerNumberSchema,
    mergeId: z.uuid(),
    at: isoDateTime,
  })
  .strict();

export type MergedFrom = z.infer<typeof mergedFromSchema>;

export const customerKinds = ['individual', 'corporate'] as const;
export type CustomerKind = (typeof customerKinds)[number];

export const segments = ['mass', 'affluent', 'private_banking'] as const;
export const Segment = z.enum(segments);
export type Segment = z.infer<typeof Segment>;

export const genders = ['male', 'female'] as const;

/** Fields every customer has, whatever its kind. */
const commonFields = {
  /** The record's own id, assigned where it was created. */
  id: z.uuid(),
  /** 客户号, assigned by HQ; see customer-number.ts for the format. */
  customerNumber: customerNumberSchema,
  /** Counts every accepted change, starting at 1; the sync compares it. */
  version: z.number().int().positive(),
  updatedAt: isoDateTime,
  updatedBy: referenceIdSchema,
  updatedByDevice: referenceIdSchema,

  /** The name on the identity document: a person's 姓名 or a company's registered name. */
  legalName: nameSchema,
  chineseName: nameSchema.optional(),
  pinyinName: nameSchema.optional(),
  englishName: nameSchema.optional(),
  identityDocuments: z.array(identityDocumentSchema),

  phones: phonesSchema,
  email: emailSchema.optional(),
  preferredChannel: ContactChannel,
  addresses: addressesSchema,

  kyc: kycSchema,
  /** Periodic KYC reviews recorded at the branch; absent on records from before reviews. */
  kycReviews: entriesWithUniqueIds(kycReviewSchema).optional(),
  /** Marketing contacts made from campaign call lists, with their outcomes. */
  campaignContacts: entriesWithUniqueIds(campaignContactSchema).optional(),
  /** Rating changes proposed at the branch and approved there by a second person. */
  ratingProposals: entriesWithUniqueIds(ratingProposalSchema).optional(),
  /** Staff's answers to suggested next best actions (done or dismissed). */
  actionResponses: entriesWithUniqueIds(actionResponseSchema).optional(),
  /** The customer's own ratings of visits, from the counter's customer screen. */
  satisfaction: entriesWithUniqueIds(satisfactionSchema).optional(),
  /** Complaints and suggestions (投诉与建议), and each step of their handling. */
  complaints: entriesWithUniqueIds(complaintSchema).optional(),
  complaintSteps: entriesWithUniqueIds(complaintStepSchema).optional(),
  segment: Segment,
  homeBranchId: referenceIdSchema,
  assignedRmId: referenceIdSchema.optional(),
  /** Read-only: delivered by HQ, never edited at the branch. */
  accounts: z.array(accountSummarySchema),

  consents: z.array(consentSchema),
  notes: entriesWithUniqueIds(noteSchema),
  visits: entriesWithUniqueIds(visitSchema),
  tasks: entriesWithUniqueIds(taskSchema),
  /** Set by HQ while the customer's data is restricted (PIPL Art. 47); absent otherwise. */
  restriction: restrictionSchema.optional(),
  /**
   * Written by HQ when duplicates were merged into this customer (shared/protocol/merge.ts):
   * the records merged away, whose customer numbers still find this one. Absent when none.
   */
  mergedFrom: z.array(mergedFromSchema).optional(),
};

type CommonFields = z.infer<z.ZodObject<typeof commonFields>>;

const individualFields = z.object({
  kind: z.literal('individual'),
  ...commonFields,
  // A person's names follow the name rules; a company's registered name may hold digits.
  legalName: personNameSchema,
  chineseName: personNameSchema.optional(),
  pinyinName: latinPersonNameSchema.optional(),
  englishName: latinPersonNameSchema.optional(),
  gender: z.enum(genders),
  birthDate: isoDateSchema('BIRTH_DATE_INVALID'),
  nationality: countryCodeSchema,
  occupation: freeTextSchema.optional(),
  employer: freeTextSchema.optional(),
});

const corporateFields = z.object({
  kind: z.literal('corporate'),
  ...commonFields,
});

/**
 * The rules between an individual's fields, over fields each valid on its own. The schema
 * applies them, and so does checkMasterRecord (master-record.ts) to the records HQ sends.
 */
export function checkIndividualCustomer(
  customer: z.infer<typeof individualFields>,
  sink: IssueSink,
): void {
  checkContactReachable(customer, sink);
  if (customer.identityDocuments.length === 0) {
    addCustomerIssue(sink, 'INDIVIDUAL_IDENTITY_DOCUMENT_MISSING', {
      path: ['identityDocuments'],
    });
  }
  const birthDate = parseIsoDate(customer.birthDate);
  if (birthDate && compareDates(birthDate, localToday()) > 0)
    addCustomerIssue(sink, 'BIRTH_DATE_IN_FUTURE', { path: ['birthDate'] });

  customer.identityDocuments.forEach((document, index) => {
    const path = ['identityDocuments', index];
    if (!isPersonalDocumentType(document.type)) {
      addCustomerIssue(sink, 'DOCUMENT_TYPE_NOT_FOR_CUSTOMER_KIND', {
        path: [...path, 'type'],
      });
      return;
    }
    const result = validateIdentityDocumentConsistency(
      { type: document.type, number: document.number, ...validDocumentDates(document) },
      { birthDate: birthDate ?? null, gender: customer.gender },
    );
    // The birth date is judged once above, not once per document.
    const issues = result.issues.filter((issue) => issue.code !== 'BIRTH_DATE_IN_FUTURE');
    addValidationErrors(sink, { ok: false, issues }, path);
  });
}

/** The rules between a company's fields; see checkIndividualCustomer. */
export function checkCorporateCustomer(
  customer: z.infer<typeof corporateFields>,
  sink: IssueSink,
): void {
  checkContactReachable(customer, sink);
  const registered = customer.identityDocuments.some((document) =>
    (corporateDocumentTypes as readonly string[]).includes(document.type),
  );
  if (!registered) {
    addCustomerIssue(sink, 'CORPORATE_REGISTRATION_DOCUMENT_MISSING', {
      path: ['identityDocuments'],
    });
  }
  customer.identityDocuments.forEach((document, index) => {
    const path = ['identityDocuments', index];
    if (isPersonalDocumentType(document.type)) {
      addCustomerIssue(sink, 'DOCUMENT_TYPE_NOT_FOR_CUSTOMER_KIND', {
        path: [...path, 'type'],
      });
      return;
    }
    const { issuedOn, expiresOn } = validDocumentDates(document);
    const issued = issuedOn === undefined ? undefined : parseIsoDate(issuedOn);
    const expires = expiresOn ? parseIsoDate(expiresOn) : undefined;
    if (issued && expires && compareDates(expires, issued) <= 0)
      addCustomerIssue(sink, 'DOCUMENT_EXPIRY_BEFORE_ISSUE', { path });
  });
}

export const individualCustomerSchema = individualFields.superRefine(checkIndividualCustomer);
export const corporateCustomerSchema = corporateFields.superRefine(checkCorporateCustomer);

export const customerSchema = z.discriminatedUnion('kind', [
  individualCustomerSchema,
  corporateCustomerSchema,
]);

export type IndividualCustomer = z.infer<typeof individualCustomerSchema>;
export type CorporateCustomer = z.infer<typeof corporateCustomerSchema>;
export type Customer = z.infer<typeof customerSchema>;
/** What a customer looks like before parsing (typed forms, not yet normalised). */
export type CustomerInput = z.input<typeof customerSchema>;

/**
 * The document's dates that are real days, so that a malformed one (already reported by its
 * own field) is not reported a second time by the cross-field checks.
 */
function validDocumentDates(document: IdentityDocument): {
  issuedOn?: string;
  expiresOn?: string | null;
} {
  const dates: { issuedOn?: string; expiresOn?: string | null } = {};
  if (document.issuedOn !== undefined && parseIsoDate(document.issuedOn))
    dates.issuedOn = document.issuedOn;
  if (document.expiresOn === null || parseIsoDate(document.expiresOn))
    dates.expiresOn = document.expiresOn;
  return dates;
}

/** The preferred channel must have something to reach the customer through. */
function checkContactReachable(customer: CommonFields, sink: IssueSink): void {
  const channel = customer.preferredChannel;
  const reachable =
    channel === 'branch' ||
    (channel === 'phone' && customer.phones.length > 0) ||
    (channel === 'sms' && customer.phones.some((phone) => phone.kind === 'mobile')) ||
    (channel === 'email' && customer.email !== undefined) ||
    (channel === 'post' && customer.addresses.length > 0);
  if (!reachable) {
    addCustomerIssue(sink, 'PREFERRED_CHANNEL_UNREACHABLE', {
      path: ['preferredChannel'],
      params: { channel },
    });
  }
}
