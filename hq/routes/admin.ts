// HQ staff's API under /v1/admin: a signed-in HQ user (password and TOTP, at HQ) with the role
// each route names; every call by a signed-in user, allowed or refused for its role, lands in
// HQ's own hash-chained audit with the real actor (a call without a valid session, or whose
// body fails its schema, is answered 401/400 and not recorded: there is no actor to name).
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  AdminStaffRequest,
  AdminStaffResponse,
  HqAuditQuery,
  HqAuditResponse,
  HqSignInRequest,
  HqSignInResponse,
  OverdueDevicesResponse,
  OverdueQuery,
  type HqRole,
  type HqUser,
} from '../../shared/auth/hq-staff';
import { CustomerAccessResponse } from '../../shared/auth/staff';
import { BranchDeskError, serializeError } from '../../shared/errors';
import { ApiError } from '../../shared/protocol/hq';
import {
  CustomerCopy,
  ErasureDecision,
  ErasureListQuery,
  ErasureListResponse,
  ErasureRequestBody,
  LegalHoldBody,
  LegalHoldReleaseResponse,
  LegalHoldResponse,
  RetentionBody,
  RetentionResponse,
  NoticeListResponse,
  PublishNoticeRequest,
  PublishNoticeResponse,
} from '../../shared/protocol/privacy';
import {
  AdminBranchRequest,
  AdminCustomerResponse,
  AdminEditRequest,
  AdminEnrollmentCodeRequest,
  AdminEnrollmentCodeResponse,
  AdminHistoryResponse,
  AdminImportRequest,
  AdminImportResponse,
  AdminMutationsRequest,
  AdminMutationsResponse,
  AdminReassignRequest,
  AdminScopeResponse,
} from '../../shared/protocol/mutations';
import { createBranch, importCustomers } from '../admin';
import { customerAccess, overdueDevices } from '../audit';
import type { Database } from '../db/database';
import { createEnrollmentCode, revokeDevice } from '../devices';
import {
  hqActor,
  hqAuditEntries,
  recordHqAction,
  type HqAuditAction,
  type HqAuditDetails,
} from '../hq-audit';
import { authenticateHqUser, signInHq, signInRefusal, signOutHq } from '../hq-staff';
import { noteUser } from '../request-log';
import { editAtHq } from '../mutations';
import { customerCopy, customerCopyHtml } from '../privacy/copy';
import {
  erasureRequests,
  placeLegalHold,
  releaseLegalHold,
  requestErasure,
  retentionPolicy,
  runRetention,
} from '../privacy/erasure';
import { listNotices, publishNotice } from '../privacy/notices';
import { reassignCustomer, scopeOfBranch } from '../scope';
import { addUser, disableUser } from '../staff';

const ok = z.object({ ok: z.literal(true) });
const customerParams = z.object({ id: z.uuid() });
const ADMIN: HqRole[] = ['hq_admin'];
const READERS: HqRole[] = ['hq_admin', 'hq_auditor'];
const AUDITORS: HqRole[] = ['hq_auditor', 'privacy_officer'];
const PRIVACY: HqRole[] = ['privacy_officer'];

export const adminRoutes: FastifyPluginAsyncZod<{ db: Database }> = async (app, { db }) => {
  /**
   * Runs one admin action for the signed-in HQ user if they hold one of `roles`, and records it
   * with its outcome. A refusal for want of a role is recorded as `denied`; a read's answer
   * leaves only once its record is written.
   */
  async function audited<T>(
    request: FastifyRequest,
    need: { roles: HqRole[]; action: HqAuditAction; target?: string | null },
    work: (user: HqUser) => Promise<T>,
    details: (result: T) => HqAuditDetails = () => ({}),
  ): Promise<T> {
    const user = await authenticateHqUser(db, request.headers.authorization);
    noteUser(request, user.userId);
    const actor = hqActor(user.username);
    const target = need.target ?? null;
    if (!user.roles.some((role) => need.roles.includes(role))) {
      await recordHqAction(db, {
        actor,
        action: 'denied',
        target,
        details: { attempted: need.action, needs: need.roles },
      });
      throw new BranchDeskError('PERMISSION_DENIED', { permission: need.roles.join(' | ') });
    }
    let result: T;
    try {
      result = await work(user);
    } catch (error) {
      const outcome = serializeError(error).code;
      await recordHqAction(db, { actor, action: need.action, target, details: { outcome } });
      throw error;
    }
    await recordHqAction(db, {
      actor,
      action: need.action,
      target,
      details: { outcome: 'ok', ...details(result) },
    });
    app.log.info({ actor, action: need.action }, 'admin action');
    return result;
  }

  app.post(
    '/v1/admin/session',
    {
      schema: {
        body: HqSignInRequest,
        response: {
          200: HqSignInResponse,
          400: ApiError,
          401: ApiError,
          403: ApiError,
          423: ApiError,
        },
      },
    },
    async (request) => {
      const attempt = await signInHq(db, request.body);
      // A known user's attempts are recorded under their name; an unknown name is not written
      // down (it may be a password typed into the wrong field).
      const known = attempt.kind === 'ok' || attempt.userId !== undefined;
      await recordHqAction(db, {
        actor: known ? hqActor(request.body.username) : 'unknown',
        action: attempt.kind === 'ok' ? 'sign_in' : 'sign_in_failed',
        details: { outcome: attempt.kind },
      });
      if (attempt.kind !== 'ok') throw signInRefusal(attempt);
      return attempt.response;
    },
  );

  app.delete(
    '/v1/admin/session',
    { schema: { response: { 200: ok, 401: ApiError } } },
    async (request) => {
      const user = await authenticateHqUser(db, request.headers.authorization);
      await signOutHq(db, request.headers.authorization);
      await recordHqAction(db, { actor: hqActor(user.username), action: 'sign_out' });
      return { ok: true as const };
    },
  );

  app.post(
    '/v1/admin/customers/:id/edit',
    {
      schema: {
        params: customerParams,
        body: AdminEditRequest,
        response: {
          200: AdminCustomerResponse,
          401: ApiError,
          403: ApiError,
          404: ApiError,
          422: ApiError,
        },
      },
    },
    (request) =>
      audited(
        request,
        { roles: ADMIN, action: 'customer_edit', target: request.params.id },
        (user) => editAtHq(db, request.params.id, request.body.changes, hqActor(user.username)),
        (edited) => ({ fields: Object.keys(request.body.changes), version: edited.version }),
      ),
  );

  app.post(
    '/v1/admin/customers/:id/reassign',
    {
      schema: {
        params: customerParams,
        body: AdminReassignRequest,
        response: { 200: ok, 401: ApiError, 403: ApiError, 404: ApiError },
      },
    },
    (request) =>
      audited(
        request,
        { roles: ADMIN, action: 'customer_reassign', target: request.params.id },
        async () => {
          const { branchId, rmId } = request.body;
          await reassignCustomer(db, request.params.id, branchId, rmId);
          return { ok: true as const };
        },
        () => ({ branchId: request.body.branchId, rmId: request.body.rmId }),
      ),
  );

  app.get(
    '/v1/admin/customers/:id/history',
    {
      schema: {
        params: customerParams,
        response: { 200: AdminHistoryResponse, 401: ApiError, 403: ApiError },
      },
    },
    (request) =>
      audited(
        request,
        { roles: READERS, action: 'read_history', target: request.params.id },
        async () => {
          const rows = await db.query<{
            field: string;
            value: unknown;
            hlc: string | null;
            source: string;
            superseded_at_version: number;
          }>(
            'SELECT field, value, hlc, source, superseded_at_version FROM field_history WHERE customer_id = $1 ORDER BY id',
            [request.params.id],
          );
          return {
            entries: rows.map((row) => ({
              field: row.field,
              value: row.value,
              hlc: row.hlc,
              source: row.source,
              supersededAtVersion: row.superseded_at_version,
            })),
          };
        },
      ),
  );

  // The customer's own copy (docs/PRIVACY.md): for a privacy officer only, recorded each time.
  app.get(
    '/v1/admin/customers/:id/privacy-copy',
    {
      schema: {
        params: customerParams,
        response: { 200: CustomerCopy, 401: ApiError, 403: ApiError, 404: ApiError },
      },
    },
    (request) =>
      audited(
        request,
        { roles: PRIVACY, action: 'privacy_copy', target: request.params.id },
        () => customerCopy(db, request.params.id),
        (copy) => ({ changes: copy.changes.length, accessGroups: copy.access.length }),
      ),
  );
  // Privacy notices (docs/PRIVACY.md): a privacy officer publishes; devices receive them at sync.
  app.post(
    '/v1/admin/privacy-notices',
    {
      schema: {
        body: PublishNoticeRequest,
        response: { 200: PublishNoticeResponse, 401: ApiError, 403: ApiError, 409: ApiError },
      },
    },
    (request) =>
      audited(
        request,
        { roles: PRIVACY, action: 'privacy_notice_publish', target: request.body.version },
        () => publishNotice(db, request.body),
        (result) => ({ effectiveFrom: result.notice.effectiveFrom, published: result.published }),
      ),
  );
  app.get(
    '/v1/admin/privacy-notices',
    { schema: { response: { 200: NoticeListResponse, 401: ApiError, 403: ApiError } } },
    (request) =>
      audited(request, { roles: PRIVACY, action: 'privacy_notice_list' }, async () => ({
        notices: await listNotices(db),
      })),
  );
  // Erasure under retention (docs/PRIVACY.md, "Erasure"): a privacy officer's, as at the console.
  app.post(
    '/v1/admin/customers/:id/erasure-requests',
    {
      schema: {
        params: customerParams,
        body: ErasureRequestBody,
        response: { 200: ErasureDecision, 401: ApiError, 403: ApiError, 404: ApiError },
      },
    },
    (request) =>
      audited(
        request,
        { roles: PRIVACY, action: 'privacy_erasure_request', target: request.params.id },
        (user) =>
          requestErasure(
            db,
            { customerId: request.params.id, ...request.body, actor: hqActor(user.username) },
            retentionPolicy(),
          ),
        (decision) => ({ channel: decision.request.channel, outcome: decision.outcome }),
      ),
  );
  app.get(
    '/v1/admin/erasure-requests',
    {
      schema: {
        querystring: ErasureListQuery,
        response: { 200: ErasureListResponse, 401: ApiError, 403: ApiError },
      },
    },
    (request) =>
      audited(
        request,
        { roles: PRIVACY, action: 'privacy_erasure_list' },
        async () => ({
          requests: await erasureRequests(
            db,
            request.query.status ? { status: request.query.status } : {},
          ),
        }),
        (answer) => ({ requests: answer.requests.length }),
      ),
  );
  app.post(
    '/v1/admin/customers/:id/legal-holds',
    {
      schema: {
        params: customerParams,
        body: LegalHoldBody,
        response: { 200: LegalHoldResponse, 401: ApiError, 403: ApiError, 404: ApiError },
      },
    },
    (request) =>
      audited(
        request,
        { roles: PRIVACY, action: 'privacy_legal_hold', target: request.params.id },
        (user) =>
          placeLegalHold(db, {
            customerId: request.params.id,
            reference: request.body.reference,
            actor: hqActor(user.username),
          }),
      ),
  );
  app.post(
    '/v1/admin/legal-holds/:id/release',
    {
      schema: {
        params: z.object({ id: z.uuid() }),
        response: { 200: LegalHoldReleaseResponse, 401: ApiError, 403: ApiError, 404: ApiError },
      },
    },
    (request) =>
      audited(
        request,
        { roles: PRIVACY, action: 'privacy_release_hold', target: request.params.id },
        (user) =>
          releaseLegalHold(db, { holdId: request.params.id, actor: hqActor(user.username) }),
      ),
  );
  app.post(
    '/v1/admin/privacy/retention',
    {
      schema: {
        body: RetentionBody,
        response: { 200: RetentionResponse, 400: ApiError, 401: ApiError, 403: ApiError },
      },
    },
    (request) =>
      audited(
        request,
        { roles: PRIVACY, action: 'privacy_retention' },
        async () => {
          const policy = retentionPolicy({
            ...(request.body.today ? { today: request.body.today } : {}),
            ...(request.body.years ? { years: request.body.years } : {}),
          });
          const run = await runRetention(db, policy, { dryRun: request.body.dryRun });
          return { ...run, ...policy, dryRun: request.body.dryRun };
        },
        (run) => ({
          erasedOnRequest: run.erasedOnRequest,
          erasedRetentionEnded: run.erasedRetentionEnded,
          dryRun: run.dryRun,
        }),
      ),
  );
  // The same copy as the page to print, in zh-CN.
  app.get(
    '/v1/admin/customers/:id/privacy-copy.html',
    { schema: { params: customerParams } },
    async (request, reply) => {
      const copy = await audited(
        request,
        { roles: PRIVACY, action: 'privacy_copy', target: request.params.id },
        () => customerCopy(db, request.params.id),
        () => ({ format: 'html' }),
      );
      return reply
        .type('text/html; charset=utf-8')
        .header('cache-control', 'no-store')
        .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'")
        .send(customerCopyHtml(copy));
    },
  );

  app.get(
    '/v1/admin/branches/:id/scope',
    {
      schema: {
        params: z.object({ id: z.string().min(1).max(64) }),
        response: { 200: AdminScopeResponse, 401: ApiError, 403: ApiError },
      },
    },
    (request) =>
      audited(
        request,
        { roles: READERS, action: 'read_scope', target: request.params.id },
        async () => ({ customers: await scopeOfBranch(db, request.params.id) }),
        (scope) => ({ customers: scope.customers.length }),
      ),
  );

  app.post(
    '/v1/admin/mutations/lookup',
    {
      schema: {
        body: AdminMutationsRequest,
        response: { 200: AdminMutationsResponse, 401: ApiError, 403: ApiError },
      },
    },
    (request) =>
      audited(
        request,
        { roles: READERS, action: 'read_mutations' },
        async () => {
          const rows = await db.query<{ device_id: string; outcome: unknown; received_at: Date }>(
            'SELECT device_id, outcome, received_at FROM mutation WHERE mutation_id = ANY($1::uuid[])',
            [request.body.ids],
          );
          return {
            mutations: rows.map((row) => ({
              deviceId: row.device_id,
              outcome: row.outcome as never,
              receivedAt: new Date(row.received_at).toISOString(),
            })),
          };
        },
        () => ({ ids: request.body.ids.length }),
      ),
  );

  app.post(
    '/v1/admin/branches',
    {
      schema: {
        body: AdminBranchRequest,
        response: { 201: ok, 401: ApiError, 403: ApiError },
      },
    },
    async (request, reply) => {
      await audited(
        request,
        { roles: ADMIN, action: 'branch_create', target: request.body.id },
        () => createBranch(db, request.body),
      );
      return reply.status(201).send({ ok: true as const });
    },
  );

  app.post(
    '/v1/admin/customers',
    {
      schema: {
        body: AdminImportRequest,
        response: { 201: AdminImportResponse, 401: ApiError, 403: ApiError, 422: ApiError },
      },
    },
    async (request, reply) => {
      const imported = await audited(
        request,
        { roles: ADMIN, action: 'customer_import' },
        () => importCustomers(db, request.body.customers),
        (count) => ({ imported: count }),
      );
      return reply.status(201).send({ imported });
    },
  );

  app.post(
    '/v1/admin/enrollment-codes',
    {
      schema: {
        body: AdminEnrollmentCodeRequest,
        response: { 201: AdminEnrollmentCodeResponse, 401: ApiError, 403: ApiError, 404: ApiError },
      },
    },
    async (request, reply) => {
      const { branchId, ttlHours } = request.body;
      const code = await audited(
        request,
        { roles: ADMIN, action: 'enrollment_code', target: branchId },
        () => createEnrollmentCode(db, branchId, ttlHours),
        () => ({ ttlHours: ttlHours ?? 24 }),
      );
      return reply.status(201).send({ code });
    },
  );

  app.post(
    '/v1/admin/devices/:id/revoke',
    {
      schema: {
        params: customerParams,
        response: { 200: ok, 401: ApiError, 403: ApiError, 404: ApiError },
      },
    },
    (request) =>
      audited(
        request,
        { roles: ADMIN, action: 'device_revoke', target: request.params.id },
        async () => {
          await revokeDevice(db, request.params.id);
          return { ok: true as const };
        },
      ),
  );

  app.post(
    '/v1/admin/staff',
    {
      schema: {
        body: AdminStaffRequest,
        response: {
          201: AdminStaffResponse,
          401: ApiError,
          403: ApiError,
          404: ApiError,
          409: ApiError,
        },
      },
    },
    async (request, reply) => {
      const { username, displayName, roles, branchId } = request.body;
      const added = await audited(
        request,
        { roles: ADMIN, action: 'staff_add', target: username },
        () => addUser(db, { username, displayName, roles, branchId }),
        (user) => ({ userId: user.userId, roles, branchId }),
      );
      return reply.status(201).send(added);
    },
  );

  app.post(
    '/v1/admin/staff/:username/disable',
    {
      schema: {
        params: z.object({ username: AdminStaffRequest.shape.username }),
        response: { 200: ok, 401: ApiError, 403: ApiError, 404: ApiError },
      },
    },
    (request) =>
      audited(
        request,
        { roles: ADMIN, action: 'staff_disable', target: request.params.username },
        async () => {
          await disableUser(db, request.params.username);
          return { ok: true as const };
        },
      ),
  );

  app.get(
    '/v1/admin/audit/customers/:id',
    {
      schema: {
        params: customerParams,
        response: { 200: CustomerAccessResponse, 401: ApiError, 403: ApiError },
      },
    },
    (request) =>
      audited(
        request,
        { roles: AUDITORS, action: 'audit_customer_access', target: request.params.id },
        async () => ({ entries: await customerAccess(db, request.params.id) }),
        (answer) => ({ entries: answer.entries.length }),
      ),
  );

  app.get(
    '/v1/admin/audit/hq',
    {
      schema: {
        querystring: HqAuditQuery,
        response: { 200: HqAuditResponse, 401: ApiError, 403: ApiError },
      },
    },
    (request) =>
      audited(
        request,
        { roles: AUDITORS, action: 'audit_export' },
        async () => ({
          entries: await hqAuditEntries(db, request.query.after, request.query.limit),
        }),
        (answer) => ({ after: request.query.after, entries: answer.entries.length }),
      ),
  );

  app.get(
    '/v1/admin/audit/overdue',
    {
      schema: {
        querystring: OverdueQuery,
        response: { 200: OverdueDevicesResponse, 401: ApiError, 403: ApiError },
      },
    },
    (request) =>
      audited(
        request,
        { roles: [...READERS, 'privacy_officer'], action: 'audit_overdue' },
        async () => ({ devices: await overdueDevices(db, request.query.hours) }),
        (answer) => ({ hours: request.query.hours, devices: answer.devices.length }),
      ),
  );
};
