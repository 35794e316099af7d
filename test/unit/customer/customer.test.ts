import { describe, expect, it } from 'vitest';
import {
  type Customer,
  corporateCustomerSchema,
  customerIssuesFromZod,
  customerSchema,
  describeCustomerIssue,
  individualCustomerSchema,
} from '../../../shared/customer';
import { validationIssuesFromZod } from '../../../shared/validation';
import { corporateInput, individualInput, refusals } from './examples';

describe('a retail customer', () => {
  it('parses a complete, consistent record and keeps its kind', () => {
    const customer: Customer = customerSchema.parse(individualInput());
    expect(customer.kind).toBe('individual');
    expect(individualCustomerSchema.safeParse(individualInput()).success).toBe(true);
  });

  it('stores identity document numbers, phones and country codes in their normalised form', () => {
    const customer = individualCustomerSchema.parse(
      individualInput({
        gender: 'female',
        birthDate: '1949-12-31',
        nationality: ' chn ',
        identityDocuments: [
          { type: 'resident_id', number: '110105 19491231 002x', expiresOn: null },
        ],
        phones: [{ kind: 'mobile', e164: '138-0013-8000' }],
      }),
    );
    expect(customer.identityDocuments[0]?.number).toBe('11010519491231002X');
    expect(customer.phones[0]?.e164).toBe('+8613800138000');
    expect(customer.nationality).toBe('CHN');
  });

  it('accepts a foreign passport, checked against its issuing country', () => {
    expect(
      refusals(
        individualInput({
          nationality: 'DEU',
          identityDocuments: [
            {
              type: 'passport',
              number: 'C01X00T47',
              issuingCountry: 'DEU',
              issuedOn: '2020-02-01',
              expiresOn: '2030-01-31',
            },
          ],
        }),
      ),
    ).toEqual([]);
  });

  it('refuses an individual whose resident ID birth date differs from the stated birth date', () => {
    expect(refusals(individualInput({ birthDate: '1985-06-16' }))).toContain(
      'DOCUMENT_BIRTH_DATE_MISMATCH@identityDocuments.0',
    );
  });

  it('refuses an individual whose resident ID gender digit differs from the stated gender', () => {
    expect(refusals(individualInput({ gender: 'female' }))).toEqual([
      'DOCUMENT_GENDER_MISMATCH@identityDocuments.0',
    ]);
  });

  it('refuses a resident ID number whose check character is wrong, naming the number field', () => {
    const input = individualInput({
      identityDocuments: [{ type: 'resident_id', number: '110105198506150031', expiresOn: null }],
    });
    expect(refusals(input)).toEqual(['RESIDENT_ID_CHECK_CHARACTER@identityDocuments.0.number']);
  });

  it('refuses a passport without its issuing country', () => {
    const input = individualInput({
      identityDocuments: [{ type: 'passport', number: 'EA1234567', expiresOn: '2030-01-01' }],
    });
    expect(refusals(input)).toEqual([
      'PASSPORT_ISSUING_COUNTRY_REQUIRED@identityDocuments.0.issuingCountry',
    ]);
  });

  it('refuses a document that expires before it was issued', () => {
    const input = individualInput({
      identityDocuments: [
        {
          type: 'resident_id',
          number: '110105198506150030',
          issuedOn: '2015-03-01',
          expiresOn: '2010-03-01',
        },
      ],
    });
    expect(refusals(input)).toEqual(['DOCUMENT_EXPIRY_BEFORE_ISSUE@identityDocuments.0']);
  });

  it('refuses an individual without any identity document', () => {
    expect(refusals(individualInput({ identityDocuments: [] }))).toEqual([
      'INDIVIDUAL_IDENTITY_DOCUMENT_MISSING@identityDocuments',
    ]);
  });

  it('refuses an individual carrying a corporate registration document', () => {
    const input = individualInput({
      identityDocuments: [
        ...individualInput().identityDocuments,
        { type: 'uscc', number: '91110000600037341L', expiresOn: null },
      ],
    });
    expect(refusals(input)).toEqual([
      'DOCUMENT_TYPE_NOT_FOR_CUSTOMER_KIND@identityDocuments.1.type',
    ]);
  });

  it('refuses a birth date that is not a real day, or lies in the future', () => {
    expect(refusals(individualInput({ birthDate: '1985-02-30' }))).toContain(
      'BIRTH_DATE_INVALID@birthDate',
    );
    const unborn = individualInput({
      birthDate: '2999-01-01',
      identityDocuments: [
        { type: 'passport', number: 'EA1234567', issuingCountry: 'CHN', expiresOn: null },
      ],
    });
    expect(refusals(unborn)).toEqual(['BIRTH_DATE_IN_FUTURE@birthDate']);
  });

  it('refuses a nationality that is not an alpha-3 code', () => {
    expect(refusals(individualInput({ nationality: 'CN' }))).toEqual([
      'COUNTRY_CODE_FORMAT@nationality',
    ]);
  });
});

describe('a corporate customer', () => {
  it('parses a record registered with a USCC', () => {
    const customer = customerSchema.parse(corporateInput());
    expect(customer.kind).toBe('corporate');
    expect(customer.phones[0]?.e164).toBe('+861012345678');
  });

  it('parses a record registered with a business licence', () => {
    const input = corporateInput({
      identityDocuments: [{ type: 'business_licence', number: '110108000000008', expiresOn: null }],
    });
    expect(corporateCustomerSchema.safeParse(input).success).toBe(true);
  });

  it('refuses a corporate without a USCC or business licence', () => {
    expect(refusals(corporateInput({ identityDocuments: [] }))).toEqual([
      'CORPORATE_REGISTRATION_DOCUMENT_MISSING@identityDocuments',
    ]);
  });

  it('refuses a corporate whose only document is a personal one', () => {
    const input = corporateInput({
      identityDocuments: [{ type: 'resident_id', number: '110105198506150030', expiresOn: null }],
    });
    expect(refusals(input)).toEqual([
      'CORPORATE_REGISTRATION_DOCUMENT_MISSING@identityDocuments',
      'DOCUMENT_TYPE_NOT_FOR_CUSTOMER_KIND@identityDocuments.0.type',
    ]);
  });

  it('refuses a USCC whose check character is wrong', () => {
    const input = corporateInput({
      identityDocuments: [{ type: 'uscc', number: '91110000600037341M', expiresOn: null }],
    });
    expect(refusals(input)).toEqual(['USCC_CHECK_CHARACTER@identityDocuments.0.number']);
  });

  it('refuses a registration document that expires before it was issued', () => {
    const input = corporateInput({
      identityDocuments: [
        {
          type: 'uscc',
          number: '91110000600037341L',
          issuedOn: '2016-01-01',
          expiresOn: '2015-12-31',
        },
      ],
    });
    expect(refusals(input)).toEqual(['DOCUMENT_EXPIRY_BEFORE_ISSUE@identityDocuments.0']);
  });

  it('drops fields that only a person has instead of storing them', () => {
    const customer = customerSchema.parse({ ...corporateInput(), birthDate: '1985-06-15' });
    expect(customer).not.toHaveProperty('birthDate');
  });
});

describe('contacts and addresses', () => {
  it('refuses a landline stored as a mobile', () => {
    expect(
      refusals(individualInput({ phones: [{ kind: 'mobile', e164: '010-12345678' }] })),
    ).toEqual(['PHONE_NOT_MOBILE@phones.0.e164']);
  });

  it('refuses two primary phones', () => {
    const phones = [
      { kind: 'mobile' as const, e164: '+8613800138000', primary: true },
      { kind: 'landline' as const, e164: '+861012345678', primary: true },
    ];
    expect(refusals(individualInput({ phones }))).toEqual(['PHONE_PRIMARY_DUPLICATE@phones']);
  });

  it('refuses a malformed e-mail address', () => {
    expect(refusals(individualInput({ email: 'zhang.wei@' }))).toEqual([
      expect.stringMatching(/^EMAIL_\w+@email$/u),
    ]);
  });

  it('refuses a preferred channel with nothing to reach the customer through', () => {
    expect(refusals(individualInput({ preferredChannel: 'email', email: undefined }))).toEqual([
      'PREFERRED_CHANNEL_UNREACHABLE@preferredChannel',
    ]);
    expect(refusals(corporateInput({ preferredChannel: 'sms' }))).toEqual([
      'PREFERRED_CHANNEL_UNREACHABLE@preferredChannel',
    ]);
  });

  it('accepts a city without districts, whose district code is the city code', () => {
    const address = {
      kind: 'mailing' as const,
      provinceCode: '440000',
      cityCode: '441900',
      districtCode: '441900',
      line: '东城街道1号',
    };
    expect(refusals(individualInput({ addresses: [address] }))).toEqual([]);
  });

  it('refuses region codes that are malformed, unknown or do not belong together', () => {
    const base = individualInput().addresses[0];
    if (!base) throw new Error('example has an address');
    expect(refusals(individualInput({ addresses: [{ ...base, districtCode: '11010' }] }))).toEqual([
      'ADDRESS_REGION_CODE_FORMAT@addresses.0.districtCode',
    ]);
    expect(refusals(individualInput({ addresses: [{ ...base, provinceCode: '810000' }] }))).toEqual(
      ['ADDRESS_REGION_UNKNOWN@addresses.0.provinceCode'],
    );
    expect(refusals(individualInput({ addresses: [{ ...base, districtCode: '310105' }] }))).toEqual(
      ['ADDRESS_REGION_HIERARCHY@addresses.0'],
    );
    expect(refusals(individualInput({ addresses: [{ ...base, postcode: '10002' }] }))).toEqual([
      'POSTCODE_FORMAT@addresses.0.postcode',
    ]);
  });
});

describe('record identity and history', () => {
  it('refuses a customer number with a wrong check digit or in the wrong form', () => {
    expect(refusals(individualInput({ customerNumber: 'C0000000019' }))).toEqual([
      'CUSTOMER_NUMBER_CHECK_DIGIT@customerNumber',
    ]);
    expect(refusals(individualInput({ customerNumber: '0000000018' }))).toEqual([
      'CUSTOMER_NUMBER_FORMAT@customerNumber',
    ]);
  });

  it('refuses a version that is not a positive integer, and an id that is not a UUID', () => {
    expect(customerSchema.safeParse(individualInput({ version: 0 })).success).toBe(false);
    expect(customerSchema.safeParse(individualInput({ version: 1.5 })).success).toBe(false);
    expect(customerSchema.safeParse(individualInput({ id: 'customer-1' })).success).toBe(false);
  });

  it('refuses a time without a time zone', () => {
    expect(refusals(individualInput({ updatedAt: '2026-08-01T09:30:00' }))).toEqual([
      'DATETIME_INVALID@updatedAt',
    ]);
  });

  it('refuses two notes with the same id', () => {
    const [note] = individualInput().notes;
    if (!note) throw new Error('example has a note');
    expect(refusals(individualInput({ notes: [note, { ...note, text: '再次来访' }] }))).toEqual([
      'ENTRY_ID_DUPLICATE@notes.1.id',
    ]);
  });

  it('refuses a kind it does not know', () => {
    expect(customerSchema.safeParse({ ...individualInput(), kind: 'trust' }).success).toBe(false);
  });
});

describe('messages for people', () => {
  it('gives every refusal a zh-CN and an en message from a catalog', () => {
    const result = customerSchema.safeParse(
      individualInput({ gender: 'female', customerNumber: 'C0000000019', nationality: 'CN' }),
    );
    expect(result.success).toBe(false);
    if (result.success) return;
    const issues = customerIssuesFromZod(result.error);
    expect(issues.length).toBeGreaterThan(0);
    for (const issue of issues) {
      expect(describeCustomerIssue(issue, 'zh-CN')).toMatch(/[\u4e00-\u9fff]/u);
      expect(describeCustomerIssue(issue, 'en')).toMatch(/^[\x20-\x7e]+$/u);
    }
  });

  it('keeps validator codes readable by validationIssuesFromZod', () => {
    const result = customerSchema.safeParse(individualInput({ gender: 'female' }));
    expect(result.success).toBe(false);
    if (result.success) return;
    expect(validationIssuesFromZod(result.error)).toEqual([
      { code: 'DOCUMENT_GENDER_MISMATCH', severity: 'error' },
    ]);
  });
});

describe('free text typed by people', () => {
  it('refuses an empty occupation or address line with the catalog code REQUIRED', () => {
    const base = individualInput().addresses[0];
    if (!base) throw new Error('example has an address');
    expect(
      refusals(individualInput({ occupation: '  ', addresses: [{ ...base, line: '' }] })),
    ).toEqual(['REQUIRED@addresses.0.line', 'REQUIRED@occupation']);
  });
});
