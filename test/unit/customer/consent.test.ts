// The consent ledger read as it stands: whatever order its events arrived in, the latest decides,
// a withdrawal never loses to a grant made before it or at the same instant, and a lapsed grant
// does not count. marketingAudience, what campaigns select through, obeys exactly that.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type Consent,
  consentPurposes,
  consentSchema,
  currentConsents,
  hasConsent,
  localDay,
  marketingAudience,
} from '../../../shared/customer';

const purpose = fc.constantFrom(...consentPurposes);
/** Minutes within one day, so events often share an instant. */
const minute = fc.integer({ min: 0, max: 30 });
const event: fc.Arbitrary<Consent> = fc
  .record({
    id: fc.uuid(),
    purpose,
    state: fc.constantFrom('granted' as const, 'withdrawn' as const),
    minute,
    // Offsets differ: instants are compared, not their spelling.
    offset: fc.constantFrom('+08:00', 'Z'),
    channel: fc.constantFrom('branch' as const, 'phone' as const),
    expiresOn: fc.option(fc.constantFrom('2026-12-01', '2026-12-10', '2027-01-01'), {
      nil: undefined,
    }),
  })
  .map(({ minute: m, offset, expiresOn, ...rest }) => {
    const hour = offset === 'Z' ? 2 : 10;
    const at = `2026-12-05T${String(hour).padStart(2, '0')}:${String(m).padStart(2, '0')}:00${offset}`;
    return consentSchema.parse({ ...rest, at, ...(expiresOn ? { expiresOn } : {}) });
  });

const TODAY = '2026-12-05';

describe('the consent ledger', () => {
  it('reads the same whatever order the events arrived in', () => {
    fc.assert(
      fc.property(
        fc
          .array(event, { maxLength: 12 })
          .chain((events) =>
            fc.tuple(
              fc.constant(events),
              fc.shuffledSubarray(events, { minLength: events.length }),
            ),
          ),
        ([events, shuffled]) => {
          expect(currentConsents(shuffled, TODAY)).toEqual(currentConsents(events, TODAY));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('lets a withdrawal after a grant, or at the same instant, win', () => {
    fc.assert(
      fc.property(
        fc.array(event, { maxLength: 10 }),
        event,
        fc.nat(60_000),
        (history, grant, delay) => {
          const granted = { ...grant, state: 'granted' as const };
          const at = new Date(Date.parse(granted.at) + delay);
          const withdrawal: Consent = {
            id: '00000000-0000-4000-8000-000000000000',
            purpose: granted.purpose,
            state: 'withdrawn',
            at: at.toISOString(),
            channel: 'branch',
          };
          const later = history.filter(
            (e) => e.purpose !== granted.purpose || Date.parse(e.at) <= at.getTime(),
          );
          const ledger = [...later, granted, withdrawal];
          expect(currentConsents(ledger, TODAY).get(granted.purpose)?.standing).toBe('withdrawn');
          expect(hasConsent({ consents: ledger }, granted.purpose as never, TODAY)).toBe(false);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('does not count a grant from the day it lapses', () => {
    const grant = consentSchema.parse({
      id: '11111111-1111-4111-8111-111111111111',
      purpose: 'marketing_email',
      state: 'granted',
      at: '2026-01-01T09:00:00+08:00',
      channel: 'branch',
      expiresOn: '2026-12-05',
    });
    const customer = { consents: [grant] };
    expect(hasConsent(customer, 'marketing_email', '2026-12-04')).toBe(true);
    expect(hasConsent(customer, 'marketing_email', '2026-12-05')).toBe(false);
    expect(currentConsents(customer.consents, '2026-12-05').get('marketing_email')?.standing).toBe(
      'expired',
    );
    // Never asked is not granted, and other purposes are not touched.
    expect(hasConsent(customer, 'marketing_sms', '2026-12-04')).toBe(false);
  });

  it('selects for marketing exactly the customers whose consent for the channel stands', () => {
    fc.assert(
      fc.property(fc.array(fc.array(event, { maxLength: 6 }), { maxLength: 20 }), (ledgers) => {
        const customers = ledgers.map((consents, index) => ({ index, consents }));
        const audience = marketingAudience(customers, 'sms', TODAY);
        for (const customer of customers) {
          const stands =
            currentConsents(customer.consents, TODAY).get('marketing_sms')?.standing === 'granted';
          expect(audience.includes(customer)).toBe(stands);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('leaves restricted customers out of marketing whatever their consent', () => {
    const grant = consentSchema.parse({
      id: '22222222-2222-4222-8222-222222222222',
      purpose: 'marketing_sms',
      state: 'granted',
      at: '2026-01-01T09:00:00+08:00',
      channel: 'branch',
    });
    const open = { consents: [grant] };
    const restricted = {
      consents: [grant],
      restriction: { since: '2026-06-01T00:00:00Z', reason: 'legal_hold' as const },
    };
    expect(marketingAudience([open, restricted], 'sms', TODAY)).toEqual([open]);
  });

  it('names the calendar day of an instant on this machine', () => {
    const noon = new Date(2026, 11, 5, 12, 0, 0).getTime();
    expect(localDay(noon)).toBe('2026-12-05');
    expect(localDay(new Date(2027, 0, 1, 0, 0, 1).getTime())).toBe('2027-01-01');
  });
});
