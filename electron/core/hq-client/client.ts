// The branch's HTTP client for HQ: axios with timeouts, every response checked against the
// shared schemas, HQ's typed errors passed through as BranchDeskErrors.
import axios, { type AxiosInstance } from 'axios';
import { z } from 'zod';
import {
  BranchDeskError,
  errorCodes,
  isBranchDeskError,
  type ErrorCode,
} from '../../../shared/errors';
import {
  ApiError,
  AuditPosition,
  DeviceStatus,
  EnrollResponse,
  ENVIRONMENT_HEADER,
  FetchCustomersResponse,
  HqEnvironment,
  HqUrl,
  PullResponse,
  ScopeBucket,
  SnapshotChunk,
} from '../../../shared/protocol/hq';
import {
  ApprovalResponse,
  PushResponse,
  type ApprovalRequest,
  type Mutation,
} from '../../../shared/protocol/mutations';
import {
  AuditBatchResponse,
  BranchStaffResponse,
  CustomerAccessResponse,
  LoginResponse,
  SessionTokens,
  type AuditBatch,
} from '../../../shared/auth/staff';
import { CustomerCopy, NoticesResponse } from '../../../shared/protocol/privacy';
import { RuleTablesResponse } from '../../../shared/protocol/rules';
import { HqSignInResponse } from '../../../shared/auth/hq-staff';
import { wallClock } from '../clock';

/** HQ's address, checked against the shared rule (https, or plain http on loopback only). */
export function parseHqUrl(raw: string): URL {
  const checked = HqUrl.safeParse(raw);
  if (!checked.success) {
    const issues = checked.error.issues.map((issue) => `hqUrl: ${issue.message}`).join('; ');
    throw new BranchDeskError('INPUT_INVALID', { issues });
  }
  return new URL(checked.data);
}

export class HqClient {
  private readonly http: AxiosInstance;

  /**
   * `onRevoked` runs (before the call throws `DEVICE_REVOKED`) when HQ answers a call of this
   * device's client with 410 `DEVICE_REVOKED`: HQ recognised the credential, or a staff session
   * opened on this device (an approval, a customer-access query: same HQ, same channel), and
   * says the device is revoked, the same authenticated answer `device status` acts on.
   */
  constructor(
    baseUrl: string,
    private readonly deviceAuthorization?: string,
    private readonly options: {
      onRevoked?: () => void;
      /** HQ's epoch as this device knows it, sent with every call (see sync/epoch.ts). */
      epoch?: () => string | undefined;
      /**
       * The profile's kind: an answer from an HQ of another kind (a training HQ to a production
       * profile, or the reverse) is refused, whatever it says (HQ_ENVIRONMENT_MISMATCH).
       */
      environment?: HqEnvironment;
    } = {},
  ) {
    this.http = axios.create({
      baseURL: parseHqUrl(baseUrl).toString(),
      timeout: 15_000,
      validateStatus: () => true,
      // Only HQ's own answer counts: a redirect could lead off HQ's TLS origin (or to plain
      // http), and an HTTP(S)_PROXY from the environment would carry the request to the proxy
      // in the clear. Either would let a network attacker answer for HQ (and, with a 410,
      // wipe the device).
      maxRedirects: 0,
      proxy: false,
      headers: deviceAuthorization ? { authorization: deviceAuthorization } : {},
    });
  }

  async enroll(
    code: string,
    deviceName: string,
    auditKey: { publicKey: string; chain: string },
  ): Promise<z.infer<typeof EnrollResponse>> {
    const environment = this.options.environment ?? 'production';
    const enrolled = await this.call('post', 'v1/enroll', EnrollResponse, {
      code,
      deviceName,
      auditKey,
      environment,
    });
    if (enrolled.environment !== environment)
      throw new BranchDeskError('HQ_ENVIRONMENT_MISMATCH', { environment: enrolled.environment });
    return enrolled;
  }

  /** Signs a member of staff in on this device. Never retried: every try counts to lockout. */
  async login(request: { username: string; password: string; totp: string }) {
    return this.call('post', 'v1/auth/login', LoginResponse, request);
  }

  async refreshSession(refreshToken: string): Promise<SessionTokens> {
    return this.call('post', 'v1/auth/refresh', SessionTokens, { refreshToken });
  }

  async logout(refreshToken: string): Promise<void> {
    await this.call('post', 'v1/auth/logout', z.object({ ok: z.literal(true) }), { refreshToken });
  }

  async branchStaff(): Promise<BranchStaffResponse> {
    return this.call('get', 'v1/branch/staff', BranchStaffResponse);
  }

  /** Uploads one signed batch of audit entries; HQ answers where its copy of the chain ends. */
  async uploadAudit(batch: AuditBatch) {
    return (await this.call('post', 'v1/audit/batches', AuditBatchResponse, batch)).acknowledged;
  }

  /** Where HQ's copy of this device's audit chain ends (after HQ was restored from a backup). */
  async auditPosition() {
    return this.call('get', 'v1/audit/position', AuditPosition);
  }

  /** The next page of this device's scope changes after `cursor`. Idempotent, so retried once. */
  async pull(
    cursor: number,
    limit: number,
    options: { count?: boolean } = {},
  ): Promise<z.infer<typeof PullResponse>> {
    const path = `v1/changes?after=${cursor}&limit=${limit}&count=${options.count ? 1 : 0}`;
    return retriedOnce(() => this.call('get', path, PullResponse));
  }

  /**
   * Sends mutations; HQ answers each with its stored outcome. Safe to repeat (every mutation
   * carries its idempotency key), so retried once on a lost connection. Each send carries this
   * PC's clock, read as it goes: HQ orders the edits by its own time (shared/sync/hlc.ts correctHlc).
   */
  async push(mutations: Mutation[]): Promise<PushResponse> {
    return retriedOnce(() =>
      this.call('post', 'v1/mutations', PushResponse, { mutations, sentAt: wallClock() }),
    );
  }

  /**
   * A chunk of the initial-sync snapshot: the first (no `at`) fixes the snapshot's cursor, the
   * next ones present it and the last id received. A read, so retried once on a lost connection.
   */
  async snapshot(query: { after?: string; at?: number; limit: number }): Promise<SnapshotChunk> {
    const params = new URLSearchParams({ limit: String(query.limit) });
    if (query.at !== undefined) params.set('at', String(query.at));
    if (query.after !== undefined) params.set('after', query.after);
    return retriedOnce(() => this.call('get', `v1/snapshot?${params}`, SnapshotChunk));
  }

  /** One bucket of the scope digest's entries. A read, so retried once on a lost connection. */
  async scopeBucket(bucket: string): Promise<z.infer<typeof ScopeBucket>> {
    return retriedOnce(() => this.call('get', `v1/scope/buckets/${bucket}`, ScopeBucket));
  }

  /** Master records by id, for a scope repair. A read, so retried once on a lost connection. */
  async fetchCustomers(ids: string[]): Promise<z.infer<typeof FetchCustomersResponse>> {
    return retriedOnce(() =>
      this.call('post', 'v1/customers/fetch', FetchCustomersResponse, { ids }),
    );
  }

  /** Privacy notices HQ published after `after` (a seq). A read, so retried once. */
  async privacyNotices(after: number): Promise<z.infer<typeof NoticesResponse>> {
    return retriedOnce(() =>
      this.call('get', `v1/privacy-notices?after=${after}`, NoticesResponse),
    );
  }

  async ruleTables(after: number): Promise<z.infer<typeof RuleTablesResponse>> {
    return retriedOnce(() => this.call('get', `v1/rule-tables?after=${after}`, RuleTablesResponse));
  }

  async deviceStatus(): Promise<z.infer<typeof DeviceStatus>> {
    return this.call('get', 'v1/device/status', DeviceStatus);
  }

  /** Who looked at a customer, asked as the signed-in member of staff (their HQ session). */
  async customerAccess(customerId: string, accessToken: string) {
    return this.call('get', `v1/audit/customers/${customerId}`, CustomerAccessResponse, undefined, {
      authorization: `Bearer ${accessToken}`,
    });
  }

  /**
   * The customer's own copy at the counter, asked as the signed-in supervisor (their HQ session)
   * with the co-signing supervisor's session token (hq/routes/counter-copy.ts).
   */
  async counterCopy(customerId: string, accessToken: string, cosignerToken: string) {
    return this.call(
      'post',
      `v1/customers/${customerId}/privacy-copy`,
      CustomerCopy,
      { cosignerToken, identityChecked: true },
      { authorization: `Bearer ${accessToken}` },
    );
  }

  // ---- HQ staff at the desk (a privacy officer): HQ's admin API, as the signed-in HQ user ------

  /** Signs an HQ user in at HQ's admin API; the bearer token is theirs, short-lived. */
  async hqSignIn(request: { username: string; password: string; totp: string }) {
    return this.call('post', 'v1/admin/session', HqSignInResponse, request);
  }

  async hqSignOut(token: string): Promise<void> {
    await this.call('delete', 'v1/admin/session', z.unknown(), undefined, {
      authorization: `Bearer ${token}`,
    });
  }

  /** One call of HQ's admin API as the signed-in HQ user, checked against `schema`. */
  async asHqUser<T extends z.ZodType>(
    token: string,
    method: 'get' | 'post' | 'delete',
    path: string,
    schema: T,
    body?: unknown,
  ): Promise<z.output<T>> {
    return this.call(method, path, schema, body, { authorization: `Bearer ${token}` });
  }

  /** Asks HQ to record an identity approval, as the approving supervisor (their HQ session). */
  async recordApproval(request: ApprovalRequest, accessToken: string) {
    return this.call('post', 'v1/approvals', ApprovalResponse, request, {
      authorization: `Bearer ${accessToken}`,
    });
  }

  private async call<T extends z.ZodType>(
    method: 'get' | 'post' | 'delete',
    path: string,
    schema: T,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<z.output<T>> {
    let response;
    const epoch = this.options.epoch?.();
    const sent = { ...(epoch ? { 'x-branchdesk-epoch': epoch } : {}), ...headers };
    try {
      response = await this.http.request({ method, url: path, data: body, headers: sent });
    } catch (error) {
      throw new BranchDeskError(
        'HQ_UNREACHABLE',
        { reason: (error as { code?: string }).code ?? 'network' },
        { cause: error },
      );
    }
    // An HQ of another kind than this profile is never listened to (an HQ from before
    // environments says nothing: production).
    const answeredBy = HqEnvironment.safeParse(
      response.headers[ENVIRONMENT_HEADER] ?? 'production',
    );
    const expected = this.options.environment ?? 'production';
    if (!answeredBy.success || answeredBy.data !== expected)
      throw new BranchDeskError('HQ_ENVIRONMENT_MISMATCH', {
        environment: answeredBy.success ? answeredBy.data : 'unknown',
      });
    if (response.status >= 200 && response.status < 300) {
      const parsed = schema.safeParse(response.data);
      if (!parsed.success)
        throw new BranchDeskError('HQ_PROTOCOL_ERROR', { status: response.status });
      return parsed.data;
    }
    // A server error is HQ's trouble, not this request's, and a rate limit (429) passes: both are
    // worth retrying later, after the scheduler's backoff.
    if (response.status >= 500 || response.status === 429)
      throw new BranchDeskError('HQ_UNAVAILABLE', { status: response.status });
    const problem = ApiError.safeParse(response.data);
    const revoked = problem.success && problem.data.code === 'DEVICE_REVOKED';
    if (revoked !== (response.status === 410))
      throw new BranchDeskError('HQ_PROTOCOL_ERROR', { status: response.status });
    if (revoked && this.deviceAuthorization) {
      // Wipe first: whatever the caller does with the error, the device is already gone.
      this.options.onRevoked?.();
      throw new BranchDeskError('DEVICE_REVOKED');
    }
    if (problem.success && (errorCodes as readonly string[]).includes(problem.data.code)) {
      throw new BranchDeskError(problem.data.code as ErrorCode, problem.data.details);
    }
    throw new BranchDeskError('HQ_PROTOCOL_ERROR', { status: response.status });
  }
}

/** Runs an idempotent call again once if the first try never got HQ's answer (lost, timed out). */
async function retriedOnce<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (!isBranchDeskError(error, 'HQ_UNREACHABLE')) throw error;
    return call();
  }
}
