// The customer-facing screen of a counter (客户确认屏): what the core shows the customer, what
// the customer may answer, and the few commands its connection is allowed (docs/COUNTER.md).
// The screen is driven by the core, never by the teller's page: the teller asks the core to put
// a change, a form or a rating before the customer, and the customer's answer comes from the
// screen's own connection, which can do nothing else.
import { z } from 'zod';
import { CustomerSetAddressInput, CustomerSetPhoneInput } from '../commands/customer';
import { consentChannels, consentStates, satisfactionReasons } from '../customer/records';
import { ConsentPurpose, noticeVersionSchema } from '../customer/records';
import { isoDate } from '../customer/fields';

/** Text in both of the desk's languages: the customer chooses theirs on their screen. */
export const Bilingual = z.object({ 'zh-CN': z.string().max(20_000), en: z.string().max(20_000) });
export type Bilingual = z.infer<typeof Bilingual>;

/** The request a teller puts on the customer's screen: its id, made by the desk. */
export const CounterRequestId = z.uuid();

/**
 * A change the customer confirms before it is saved: a contact detail (a phone or an address
 * entry by its place in the list, or the e-mail) or a consent given or withdrawn.
 */
export const CounterChange = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('phone'),
      index: CustomerSetPhoneInput.shape.index,
      phone: CustomerSetPhoneInput.shape.phone,
      correction: z.boolean().optional(),
    })
    .strict(),
  z
    .object({
      kind: z.literal('email'),
      email: z.string().trim().min(1).max(254),
      correction: z.boolean().optional(),
    })
    .strict(),
  z
    .object({
      kind: z.literal('address'),
      index: CustomerSetAddressInput.shape.index,
      address: CustomerSetAddressInput.shape.address,
      correction: z.boolean().optional(),
    })
    .strict(),
  z
    .object({
      kind: z.literal('consent'),
      state: z.enum(consentStates),
      consentId: z.uuid(),
      purpose: ConsentPurpose,
      channel: z.enum(consentChannels),
      /** The notice the customer is shown, for a grant. */
      noticeVersion: noticeVersionSchema.optional(),
      expiresOn: isoDate.optional(),
    })
    .strict()
    .refine((change) => change.state === 'withdrawn' || change.noticeVersion !== undefined, {
      message: 'a grant names the privacy notice the customer is shown',
      path: ['noticeVersion'],
    }),
]);
export type CounterChange = z.infer<typeof CounterChange>;

/** What a customer may update themselves on their screen (自助更新). */
export const selfServiceFields = ['phone', 'email', 'address'] as const;
export const SelfServiceField = z.enum(selfServiceFields);
export type SelfServiceField = z.infer<typeof SelfServiceField>;

/** A customer's own entries on their screen, each checked by the validators the desk uses. */
export const SelfServiceUpdate = z
  .object({
    phone: z.string().trim().min(1).max(64).optional(),
    email: z.string().trim().min(1).max(254).optional(),
    address: CustomerSetAddressInput.shape.address.optional(),
  })
  .strict()
  .refine((update) => Object.keys(update).length > 0, { message: 'nothing to update' });
export type SelfServiceUpdate = z.infer<typeof SelfServiceUpdate>;

export { satisfactionReasons };
export const SatisfactionReason = z.enum(satisfactionReasons);
export type SatisfactionReason = z.infer<typeof SatisfactionReason>;

export const SatisfactionScore = z.number().int().min(1).max(5);

/** A change as the customer sees it: their own old and new value in full, nothing else. */
export const DisplayedChange = z.discriminatedUnion('field', [
  z.object({
    field: z.enum(['phone', 'email', 'address']),
    /** The value it replaces (null: a new entry). */
    before: z.string().nullable(),
    after: z.string(),
  }),
  z.object({
    field: z.literal('consent'),
    purpose: ConsentPurpose,
    state: z.enum(consentStates),
    expiresOn: z.string().optional(),
    /** The privacy notice shown with a grant: its version, title and text. */
    notice: z
      .object({ version: z.string(), title: Bilingual, body: Bilingual })
      .nullable()
      .optional(),
  }),
]);
export type DisplayedChange = z.infer<typeof DisplayedChange>;

/** One of the bank's short notices for customers (反诈提示, 隐私政策): shown while idle. */
export const DisplayNotice = z.object({ id: z.string(), title: Bilingual, body: Bilingual });
export type DisplayNotice = z.infer<typeof DisplayNotice>;

/**
 * What the customer's screen shows now. The customer's name is masked as on the teller's screen
 * (their surname): a change shows the one value it concerns in full, and nothing of anyone else.
 */
/** A training profile's screen (培训模式) carries the watermark too. */
const training = { training: z.literal(true).optional() };

export const DisplayView = z.discriminatedUnion('screen', [
  z.object({ screen: z.literal('idle'), notices: z.array(DisplayNotice), ...training }),
  z.object({
    ...training,
    screen: z.literal('confirm'),
    requestId: CounterRequestId,
    greeting: z.string(),
    change: DisplayedChange,
  }),
  z.object({
    ...training,
    screen: z.literal('self_service'),
    requestId: CounterRequestId,
    greeting: z.string(),
    fields: z.array(SelfServiceField),
  }),
  z.object({ screen: z.literal('rate'), requestId: CounterRequestId, ...training }),
  z.object({
    ...training,
    screen: z.literal('thanks'),
    requestId: CounterRequestId,
    outcome: z.enum(['confirmed', 'declined', 'submitted', 'rated', 'cancelled', 'failed']),
  }),
]);
export type DisplayView = z.infer<typeof DisplayView>;

// The customer screen's own commands: these and nothing else reach the core from its connection.
const requestOnly = z.object({ requestId: CounterRequestId }).strict();
export const displayContract = {
  'display.view': { input: z.object({}).strict(), output: DisplayView },
  'display.confirm': { input: requestOnly, output: DisplayView },
  'display.decline': { input: requestOnly, output: DisplayView },
  'display.submit': {
    input: z.object({ requestId: CounterRequestId, update: SelfServiceUpdate }).strict(),
    output: DisplayView,
  },
  'display.rate': {
    input: z
      .object({
        requestId: CounterRequestId,
        score: SatisfactionScore,
        reason: SatisfactionReason.optional(),
      })
      .strict(),
    output: DisplayView,
  },
} as const;
export type DisplayCommand = keyof typeof displayContract;
export type DisplayInput<N extends DisplayCommand> = z.input<(typeof displayContract)[N]['input']>;
export type DisplayOutput<N extends DisplayCommand> = z.output<
  (typeof displayContract)[N]['output']
>;

export function isDisplayCommand(name: string): name is DisplayCommand {
  return Object.hasOwn(displayContract, name);
}

/** The state of the request a teller put on the customer's screen, as the teller's desk sees it. */
export const counterRequestStates = [
  'waiting',
  'confirmed',
  'declined',
  'submitted',
  'approved',
  'rejected',
  'rated',
  'cancelled',
  'failed',
] as const;
export const CounterRequestState = z.enum(counterRequestStates);
export type CounterRequestState = z.infer<typeof CounterRequestState>;
