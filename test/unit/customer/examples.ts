// Valid customers to start each specification from; a test changes only what it is about.
import {
  type CustomerInput,
  customerIssuesFromZod,
  customerSchema,
} from '../../../shared/customer';

type IndividualInput = Extract<CustomerInput, { kind: 'individual' }>;
type CorporateInput = Extract<CustomerInput, { kind: 'corporate' }>;

/** 张伟: male, born 1985-06-15, resident ID issued 2015 at 29, so valid 20 years. */
export function individualInput(overrides: Partial<IndividualInput> = {}): IndividualInput {
  return {
    kind: 'individual',
    id: '4f1c2a9e-8b3d-4c6a-9e2f-1a2b3c4d5e6f',
    customerNumber: 'C0000000018',
    version: 3,
    updatedAt: '2026-08-01T09:30:00+08:00',
    updatedBy: 'staff-0427',
    updatedByDevice: 'device-bj-0105-02',
    legalName: '张伟',
    chineseName: '张伟',
    pinyinName: 'Zhang Wei',
    englishName: 'David Zhang',
    gender: 'male',
    birthDate: '1985-06-15',
    nationality: 'CHN',
    occupation: '工程师',
    employer: '北京某科技有限公司',
    identityDocuments: [
      {
        type: 'resident_id',
        number: '110105198506150030',
        issuedBy: '北京市公安局朝阳分局',
        issuedOn: '2015-03-01',
        expiresOn: '2035-03-01',
      },
    ],
    phones: [{ kind: 'mobile', e164: '+8613800138000', primary: true }],
    email: 'zhang.wei@example.com',
    preferredChannel: 'sms',
    addresses: [
      {
        kind: 'residential',
        provinceCode: '110000',
        cityCode: '110100',
        districtCode: '110105',
        line: '建国路88号3号楼1201室',
        postcode: '100022',
      },
    ],
    kyc: {
      status: 'verified',
      lastReviewedOn: '2025-09-01',
      nextReviewDue: '2027-09-01',
      riskRating: 'low',
      pep: false,
      sanctionsHit: false,
      sourceOfFunds: '工资收入',
    },
    segment: 'affluent',
    homeBranchId: 'BJ0105',
    assignedRmId: 'staff-0311',
    accounts: [
      {
        product: '借记卡',
        maskedNumber: '6222 **** **** 7890',
        status: 'active',
        openedOn: '2010-05-04',
      },
    ],
    consents: [
      {
        purpose: 'marketing',
        state: 'granted',
        at: '2024-01-10T10:00:00+08:00',
        channel: 'branch',
      },
      {
        id: '5b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e',
        purpose: 'marketing_sms',
        state: 'granted',
        at: '2026-11-02T09:15:00+08:00',
        channel: 'branch',
        noticeVersion: '2026-10',
        capturedBy: 'staff-0427',
        evidence: { kind: 'paper_form', reference: 'PF-2026-00017' },
        expiresOn: '2027-11-02',
      },
      {
        id: '6c2d3e4f-5a6b-4c7d-9e8f-0a1b2c3d4e5f',
        purpose: 'marketing_sms',
        state: 'withdrawn',
        at: '2026-11-20T16:40:00+08:00',
        channel: 'phone',
        capturedBy: 'staff-0427',
        evidence: { kind: 'customer_screen' },
      },
    ],
    notes: [
      {
        id: '0d3e6a1b-2c4f-4a5b-8c7d-9e0f1a2b3c4d',
        at: '2026-07-20T15:04:05+08:00',
        author: 'staff-0427',
        text: '客户咨询大额存单。',
      },
    ],
    visits: [
      {
        id: '7a8b9c0d-1e2f-4a3b-9c5d-6e7f8a9b0c1d',
        at: '2026-07-20T14:30:00+08:00',
        author: 'staff-0311',
        kind: 'branch',
      },
    ],
    tasks: [
      {
        id: 'b1c2d3e4-f5a6-4b7c-8d9e-0f1a2b3c4d5e',
        title: '回访大额存单需求',
        dueOn: '2026-08-20',
        status: 'open',
        assignee: 'staff-0311',
      },
    ],
    ...overrides,
  };
}

/** 北京某科技有限公司: registered with a USCC, valid long-term. */
export function corporateInput(overrides: Partial<CorporateInput> = {}): CorporateInput {
  return {
    kind: 'corporate',
    id: '9b8a7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d',
    customerNumber: 'C1000000230',
    version: 1,
    updatedAt: '2026-08-01T09:30:00Z',
    updatedBy: 'staff-0427',
    updatedByDevice: 'device-bj-0105-02',
    legalName: '北京某科技有限公司',
    englishName: 'Beijing Example Technology Co., Ltd.',
    identityDocuments: [
      {
        type: 'uscc',
        number: '91110000600037341L',
        issuedBy: '北京市市场监督管理局',
        issuedOn: '2016-01-01',
        expiresOn: null,
      },
    ],
    phones: [{ kind: 'landline', e164: '010-12345678' }],
    preferredChannel: 'phone',
    addresses: [
      {
        kind: 'registered',
        provinceCode: '110000',
        cityCode: '110100',
        districtCode: '110108',
        line: '中关村大街1号',
      },
    ],
    kyc: {
      status: 'verified',
      nextReviewDue: '2027-01-01',
      riskRating: 'medium',
      pep: false,
      sanctionsHit: false,
    },
    segment: 'mass',
    homeBranchId: 'BJ0105',
    accounts: [],
    consents: [],
    notes: [],
    visits: [],
    tasks: [],
    ...overrides,
  };
}

/** The coded issues that refuse `input`, as `code@path`; empty when it parses. */
export function refusals(input: unknown): string[] {
  const result = customerSchema.safeParse(input);
  if (result.success) return [];
  return customerIssuesFromZod(result.error).map(
    (issue) => `${issue.code}@${issue.path.join('.')}`,
  );
}
