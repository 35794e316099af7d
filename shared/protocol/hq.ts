// The HQ HTTP API's bodies, shared by the HQ service (which validates them on every route) and
// the branch's HQ client.
import { z } from 'zod';
import { GrantKey } from '../auth/offline-grant';
import { AuditKey } from '../auth/staff';
import { HLC_PATTERN } from '../sync/hlc';

/** A one-time enrollment code as IT types it: 12 characters, dashes and case ignored. */
export const EnrollmentCode = z
  .string()
  .max(64)
  .transform((code) => code.toUpperCase().replace(/[\s-]/g, ''))
  .pipe(z.string().regex(/^[0-9A-HJKMNP-TV-Z]{12}$/, 'not an enrollment code'));

/**
 * Which kind of HQ: the bank's production HQ, or a training HQ of synthetic customers (培训模式).
 * Every answer carries it in `x-branchdesk-environment`; a device refuses an HQ of another kind
 * than its profile, and HQ refuses to enroll one.
 */
export const HqEnvironment = z.enum(['production', 'training']);
export type HqEnvironment = z.infer<typeof HqEnvironment>;
export const ENVIRONMENT_HEADER = 'x-branchdesk-environment';

export const EnrollRequest = z
  .object({
    code: EnrollmentCode,
    /** The kind of profile enrolling: a training profile enrolls with a training HQ only. */
    environment: HqEnvironment.default('production'),
    deviceName: z.string().trim().min(1).max(100),
    /** The public half of the key the device signs its audit batches with. */
    auditKey: AuditKey,
  })
  .strict();

export const EnrollResponse = z.object({
  deviceId: z.uuid(),
  branchId: z.string(),
  branchName: z.string(),
  /** Shown once: the device keeps it in its OS keychain; HQ keeps only its hash. */
  credential: z.string(),
  /** HQ's offline-grant public key: the device pins it and checks every grant against it. */
  grantKey: GrantKey,
  /** The kind of HQ the device enrolled with (absent from an HQ before environments: production). */
  environment: HqEnvironment.default('production'),
});
export type EnrollResponse = z.infer<typeof EnrollResponse>;

export const DeviceStatus = z.object({
  deviceId: z.uuid(),
  branchId: z.string(),
  status: z.enum(['active', 'revoked']),
  /** `wipe`: the device must delete its vault (it was revoked). */
  action: z.enum(['none', 'wipe']),
});

export const ApiError = z.object({
  code: z.string(),
  /** The facts the message was filled from (ids, counts; never customer data). */
  details: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).default({}),
  message: z.object({ 'zh-CN': z.string(), en: z.string() }),
});

/**
 * HQ's address: https, or plain http on loopback only (a network attacker reads plain HTTP;
 * loopback is the demo and the tests).
 */
export const HqUrl = z
  .url({ protocol: /^https?$/ })
  .max(2048)
  .refine(
    (raw) =>
      /^https:/i.test(raw) || /^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?(\/|$)/i.test(raw),
    'must be https (plain http only on loopback)',
  );

export const Health = z.object({
  status: z.literal('ok'),
  database: z.enum(['postgres', 'pglite']),
});

/**
 * HQ's epoch: changes whenever HQ's database is restored from a backup (hq/epoch.ts). Every sync
 * answer carries it; the device sends the one it knows in the header `x-branchdesk-epoch`.
 */
export const HqEpoch = z.uuid();

/** `GET /v1/changes?after=<cursor>&limit=<n>`: the next page of the device's scope changes. */
export const PullQuery = z
  .object({
    after: z.coerce.number().int().min(0).default(0),
    limit: z.coerce.number().int().min(1).max(5000).default(1000),
    /** `1`: count the changes left (for a progress bar); a device asks on its first page only. */
    count: z.enum(['0', '1']).default('0'),
  })
  .strict();

export const ScopeChange = z.object({
  /** HQ's change sequence number: the cursor after applying this change. */
  seq: z.number().int().positive(),
  customerId: z.uuid(),
  /** False: the customer left this device's scope and must be purged from it. */
  inScope: z.boolean(),
  version: z.number().int().positive().nullable(),
  /** The customer's current master record when in scope; validated by the device. */
  customer: z.record(z.string(), z.unknown()).nullable(),
  /**
   * Leaving because HQ erased the customer (PIPL Art. 47): the device purges them now, with
   * their unsent edits, drafts and sync records, instead of after its next push.
   */
  erased: z.literal(true).optional(),
  /**
   * Leaving because HQ merged the customer into another (shared/protocol/merge.ts): the device
   * keeps a redirect from this id to the survivor, and drops the record once its edits are pushed.
   */
  mergedInto: z
    .object({ customerId: z.uuid(), customerNumber: z.string().regex(/^C\d{10}$/) })
    .optional(),
});

export const PullResponse = z.object({
  changes: z.array(ScopeChange),
  /** Where the next page starts: the last change's seq, or `after` when there were none. */
  cursor: z.number().int().min(0),
  hasMore: z.boolean(),
  /**
   * With `count=1`: changes after `after` for this device, this page included, the size of the
   * work left. Null otherwise (counting costs a scan of the rest of the log).
   */
  remaining: z.number().int().min(0).nullable(),
  /** On the last page: the digest of the whole scope at `cursor`, for the device to check. */
  scopeDigest: z.lazy(() => ScopeDigest).nullable(),
  /** HQ's hybrid logical clock: the device's clock moves past it (shared/sync/hlc.ts). */
  hlc: z.string().regex(HLC_PATTERN),
  /** HQ's epoch: a new one means HQ was restored, and the cursor means nothing any more. */
  epoch: HqEpoch,
});
export type PullResponse = z.infer<typeof PullResponse>;

/**
 * `GET /v1/snapshot`: a device's whole scope for its initial sync, in customer-id order, a chunk
 * at a time. The first chunk (no `at`) fixes the snapshot's cursor `at`: every change up to it
 * is in the records sent; records may also hold later changes, which the cursor-based pull from
 * `at` sends again once the snapshot is in (docs/SYNC-PROTOCOL.md, "Initial sync"). Later chunks
 * present `at` and the last id received (`after`).
 */
/**
 * Where a snapshot chunk starts: `home:<id>` after that customer of the branch's own, `rm:` at
 * the start of (and `rm:<id>` after that one of) the customers of other branches that one of the
 * branch's RMs looks after. Each part is in id order (hq/snapshot.ts).
 */
export const SnapshotPosition = z
  .string()
  .regex(/^(home:[0-9a-f-]{36}|rm:([0-9a-f-]{36})?)$/)
  .refine((text) => text.length <= 3 || z.uuid().safeParse(text.split(':')[1]).success);
export type SnapshotPosition = z.infer<typeof SnapshotPosition>;

export const SnapshotQuery = z
  .object({
    after: SnapshotPosition.optional(),
    at: z.coerce.number().int().min(0).optional(),
    limit: z.coerce.number().int().min(1).max(5000).default(2000),
  })
  .strict();
export type SnapshotQuery = z.infer<typeof SnapshotQuery>;

export const SnapshotChunk = z.object({
  /** The snapshot's cursor: the pull after the snapshot starts here. */
  at: z.number().int().min(0),
  /** HQ's epoch: a chunk in another epoch than the first means HQ was restored meanwhile. */
  epoch: HqEpoch,
  hlc: z.string().regex(HLC_PATTERN),
  /**
   * Master records in id order, each checked by the device (shared/customer/master-record.ts)
   * before it is stored. Left unchecked here: one schema pass over the envelope, not two.
   */
  customers: z.array(z.unknown()),
  /** Where this chunk started (as presented; null: the first chunk). */
  after: SnapshotPosition.nullable(),
  /** The position to present as `after` for the next chunk; null after the last chunk. */
  next: SnapshotPosition.nullable(),
  /** On the first chunk: how many customers the scope holds (for progress). */
  total: z.number().int().min(0).nullable(),
});
export type SnapshotChunk = z.infer<typeof SnapshotChunk>;

/**
 * The device's whole scope at the cursor, in 256 buckets (the first two hex digits of the
 * customer id): each the sum modulo 2^64, as 16 hex digits, of the first 64 bits of its
 * customers' content hashes (`recordHash`, shared/sync/record-hash.ts; the arithmetic is in
 * shared/sync/scope-digest.ts). Buckets with no customers are left out. Sent with the last page
 * of a pull.
 */
export const ScopeDigest = z.object({
  buckets: z.record(z.string().regex(/^[0-9a-f]{2}$/), z.string().regex(/^[0-9a-f]{16}$/)),
  count: z.number().int().min(0),
});
export type ScopeDigest = z.infer<typeof ScopeDigest>;

/** `GET /v1/scope/buckets/:bucket`: every (customer, version, content hash) of one bucket. */
export const ScopeBucket = z.object({
  entries: z.array(
    z.object({
      customerId: z.uuid(),
      version: z.number().int().positive(),
      hash: z.string().regex(/^[0-9a-f]{64}$/),
    }),
  ),
});

/** `GET /v1/audit/position`: where HQ's copy of this device's audit chain ends, in its epoch. */
export const AuditPosition = z.object({
  acknowledged: z.object({ seq: z.number().int().min(0), hash: z.string() }),
  epoch: HqEpoch,
});

/** `POST /v1/customers/fetch`: master records of in-scope customers, for repairs. */
export const FetchCustomersRequest = z.object({ ids: z.array(z.uuid()).min(1).max(500) }).strict();
export const FetchCustomersResponse = z.object({
  customers: z.array(
    z.object({
      customerId: z.uuid(),
      version: z.number().int().positive(),
      customer: z.record(z.string(), z.unknown()),
    }),
  ),
});
