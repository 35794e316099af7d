// The masking property: for every command of the contract and every role, nothing the core hands
// a signed-in member of staff carries a full identifier of a class that role may not reveal. The
// vault is seeded with generated customers and with every place their data lands (a rejected
// whole record and field, a parked conflict, a change held for approval, searches in the audit
// log), then each command runs through `dispatch` as each role (and any command that queued a
// change for HQ must be declared as writing, so a desk syncs after it), and the serialized answer,
// value or error, is searched for every customer's identifiers. Reveals run too: a role may
// reveal only the classes it may, so what one hands back is never among those searched for.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { dispatch, isWriteCommand, type CommandContext } from '../../electron/core/commands';
import { CustomerService, CustomerStore } from '../../electron/core/customers';
import { createVault, openVault, type Vault } from '../../electron/core/vault';
import {
  principalPermissions,
  roles,
  type RevealableField,
  type Role,
} from '../../shared/access/permissions';
import { commandNames, type CommandName } from '../../shared/commands/contract';
import type { Customer } from '../../shared/customer';
import type { Mutation } from '../../shared/protocol/mutations';
import { generateCustomers } from '../../shared/synthetic';
import { newCustomer } from '../support/customers';
import { profileSandbox, realSecretStore } from '../support/keyring';

const secrets = realSecretStore();

/** Every full identifier of a customer, by the permission that would reveal it. */
function identifiers(customer: Customer): { field: RevealableField; value: string }[] {
  const found: { field: RevealableField; value: string }[] = [];
  for (const document of customer.identityDocuments)
    found.push({ field: 'identity_number', value: document.number });
  for (const phone of customer.phones) {
    found.push({ field: 'phone', value: phone.e164 });
    // The national number as typed, without +86.
    if (phone.e164.startsWith('+86')) found.push({ field: 'phone', value: phone.e164.slice(3) });
  }
  for (const account of customer.accounts)
    found.push({ field: 'account_number', value: account.maskedNumber });
  if (customer.email) found.push({ field: 'email', value: customer.email });
  for (const address of customer.addresses) found.push({ field: 'address', value: address.line });
  for (const name of [
    customer.legalName,
    customer.chineseName,
    customer.pinyinName,
    customer.englishName,
  ])
    // Short names would match by chance (a two-letter word); a name that long cannot.
    if (name && (/\p{Script=Han}/u.test(name) ? [...name].length >= 2 : name.length >= 6))
      found.push({ field: 'name', value: name });
  return found;
}

/** Plausible input for each command against the seeded vault; every command is listed. */
function inputs(seed: Seeded, dataDir: string): { [N in CommandName]: unknown } {
  const [first, second] = seed.customers as [Customer, Customer];
  const reveal = { id: first.id, reason: 'customer_present_verified' };
  // Added by add_task, then set done by set_task_status (the contract lists them in that order).
  const taskId = randomUUID();
  // Likewise a complaint, recorded and then acknowledged.
  const complaintId = randomUUID();
  const nowhere = join(dataDir, '..', 'nowhere');
  return {
    'vault.init': { dataDir: nowhere },
    'vault.doctor': { dataDir },
    'vault.rekey': { dataDir: nowhere },
    'device.enroll': { dataDir: nowhere, hqUrl: 'http://127.0.0.1:9', code: 'ABCD-EFGH-JKLM' },
    'device.status': { dataDir },
    'device.about': {},
    'device.health': {},
    'session.login': { username: 'teller.li', password: 'not-the-password', totp: '000000' },
    'session.logout': {},
    'session.lock': {},
    'session.unlock': { password: 'not-the-password' },
    'session.status': {},
    'session.draft.save': { form: 'new_customer', body: { legalName: 'typed by the user' } },
    'session.draft.get': { form: 'new_customer' },
    'session.draft.discard': { form: 'new_customer' },
    'sync.run': {},
    'sync.status': {},
    'sync.conflicts.list': { all: true },
    'sync.conflicts.show': { id: seed.conflictId },
    'sync.conflicts.resolve': { id: seed.contactConflictId, take: 'local' },
    'sync.rejected.list': {},
    'customer.search': { query: seed.query },
    'customer.show': { id: first.id },
    'customer.create': { customer: newCustomer() },
    'customer.update': {
      id: second.id,
      baseVersion: second.version,
      changes: { legalName: first.legalName },
    },
    'customer.set_phone': {
      id: second.id,
      baseVersion: second.version,
      index: second.phones.length,
      phone: { kind: 'mobile', e164: first.phones[0]?.e164 ?? '+8613800138000' },
    },
    'customer.set_address': {
      id: second.id,
      baseVersion: second.version,
      index: 0,
      address: { ...(first.addresses[0] ?? second.addresses[0]) },
    },
    'customer.record_visit': { id: first.id, visitId: randomUUID(), kind: 'branch' },
    'customer.record_review': {
      id: second.id,
      reviewId: randomUUID(),
      outcome: 'no_change',
      checked: ['identity_documents', 'address'],
    },
    'customer.add_note': { id: first.id, noteId: randomUUID(), text: 'typed by the user' },
    'customer.grant_consent': {
      id: first.id,
      consentId: randomUUID(),
      purpose: 'marketing_sms',
      channel: 'branch',
      noticeVersion: '2026-12',
      evidence: { kind: 'paper_form', reference: 'PF-2026-0002' },
    },
    'customer.withdraw_consent': {
      id: first.id,
      consentId: randomUUID(),
      purpose: 'marketing_sms',
      channel: 'branch',
      evidence: { kind: 'paper_form', reference: 'PF-2026-0001' },
    },
    'customer.add_task': { id: first.id, taskId, title: 'typed by the user', dueOn: '2030-01-02' },
    'customer.set_task_status': { id: first.id, taskId, status: 'done' },
    'customer.duplicates': {},
    'customer.reveal.identity_number': reveal,
    'customer.reveal.phone': reveal,
    'customer.reveal.email': reveal,
    'customer.reveal.address': reveal,
    'customer.reveal.account_number': reveal,
    'customer.reveal.name': reveal,
    'approvals.list': { all: true },
    'approvals.count': {},
    'approvals.mine': {},
    'approvals.approve': { id: seed.pendingChangeId },
    'approvals.reject': { id: seed.pendingChangeId, reason: 'not this one' },
    'audit.verify': {},
    'audit.export': {},
    'audit.query': {},
    'audit.csv': { locale: 'zh-CN' },
    'audit.print': {},
    'audit.customer_access': { customerId: first.id },
    'privacy.notice.current': {},
    'privacy.notice.list': {},
    'privacy.notice.show': { version: '2026-12' },
    'privacy.hq.sign_in': { username: 'privacy1', password: 'not-the-password', totp: '000000' },
    'privacy.hq.sign_out': {},
    'privacy.hq.status': {},
    'privacy.hq.erasures': {},
    'privacy.hq.erasure_request': { customerId: first.id, channel: 'branch', reference: 'ER-1' },
    'privacy.hq.hold': { customerId: first.id, reference: 'GA-1' },
    'privacy.hq.release_hold': { holdId: first.id },
    'privacy.hq.retention': { dryRun: true },
    'privacy.hq.copy': { customerId: first.id },
    'insight.campaigns': {},
    'insight.call_list': { campaignId: 'no-such-campaign' },
    'customer.record_contact': {
      id: second.id,
      contactId: randomUUID(),
      campaignId: 'no-such-campaign',
      outcome: 'reached',
    },
    'insight.home': {},
    'insight.list': { figure: 'dormant' },
    'insight.rating': { id: first.id },
    'insight.next_actions': { id: first.id },
    'insight.print_list': { figure: 'segment.mass' },
    'insight.export_list': {
      figure: 'segment.mass',
      locale: 'zh-CN',
      password: 'correct horse 42',
    },
    'customer.propose_rating': {
      id: second.id,
      proposalId: randomUUID(),
      level: 'high',
      reason: 'typed by the user',
    },
    'customer.respond_action': {
      id: second.id,
      responseId: randomUUID(),
      action: 'offer_mobile_banking',
      about: '2026-Q4',
      response: 'dismissed',
    },
    'privacy.copy.counter': {
      id: first.id,
      identityChecked: true,
      cosigner: { username: 'supervisor.wang', password: 'not-the-password', totp: '000000' },
    },
    // Only the core runs it, from the customer screen: refused here, as from any desk.
    'customer.record_satisfaction': {
      id: first.id,
      ratingId: randomUUID(),
      visitId: randomUUID(),
      score: 5,
    },
    // No desk and no customer screen here: each is refused or says there is none.
    'counter.status': {},
    'counter.confirm': {
      requestId: randomUUID(),
      customerId: first.id,
      baseVersion: first.version,
      change: { kind: 'email', email: 'someone@example.com' },
    },
    'counter.self_service': { requestId: randomUUID(), customerId: first.id },
    'counter.approve': { requestId: randomUUID() },
    'counter.reject': { requestId: randomUUID() },
    'counter.ask_rating': { requestId: randomUUID(), customerId: first.id, visitId: randomUUID() },
    'counter.cancel': { requestId: randomUUID() },
    'complaint.record': {
      id: first.id,
      complaintId,
      kind: 'complaint',
      channel: 'counter',
      category: 'waiting_time',
      description: 'typed by the user',
      request: 'typed by the user',
    },
    'complaint.step': {
      id: first.id,
      complaintId,
      stepId: randomUUID(),
      status: 'acknowledged',
      note: 'typed by the user',
    },
    'complaint.list': { scope: 'branch' },
    'complaint.rules': {},
    'help.panels': {},
    // A production profile: every one refused (TRAINING_ONLY).
    'training.exercises': {},
    'training.start': { exercise: 'find_walk_in' },
    'training.check': { runId: randomUUID() },
    'training.progress': {},
    'merge.propose': {
      survivorId: first.id,
      mergedId: second.id,
      choices: { legalName: 'merged' },
      reason: 'the same person, twice',
    },
    'merge.list': {},
    'merge.decide': { mergeId: randomUUID(), decision: 'approve' },
    'merge.unmerge_plan': { mergeId: randomUUID() },
    'merge.unmerge': { mergeId: randomUUID(), reason: 'not the same person' },
    'merge.redirect': { customerNumber: first.customerNumber },
    'quality.score': {},
    'quality.list': { problem: 'stale_contacts' },
    'quality.create_tasks': {
      problem: 'kyc_review_overdue',
      assignee: 'counter',
      dueOn: '2027-01-31',
      title: '与客户核实资料',
    },
    'quality.complete_task': { id: first.id, taskId: randomUUID() },
  };
}

interface Seeded {
  customers: Customer[];
  conflictId: number;
  contactConflictId: number;
  pendingChangeId: number;
  query: string;
}

/** A mutation as the outbox held it, for the rejected ledger and the conflict queue. */
function mutation(customer: Customer, kind: 'create' | 'update'): Mutation {
  const common = {
    mutationId: randomUUID(),
    customerId: customer.id,
    hlc: '000001767225600000-0000-device',
    actor: 'user:teller.li',
    device: randomUUID(),
  };
  return kind === 'create'
    ? { kind, ...common, customer: customer as unknown as Record<string, unknown> }
    : {
        kind,
        ...common,
        baseVersion: customer.version,
        fields: { phones: { from: [], to: customer.phones } },
      };
}

const outboxSize = (vault: Vault) =>
  vault.db.prepare('SELECT count(*) FROM outbox').pluck().get() as number;

const userOf = (role: Role) => ({
  kind: 'user' as const,
  userId: `u-${role}`,
  username: `${role}.li`,
  roles: [role],
});

async function seed(vault: Vault, customers: Customer[], pick: number): Promise<Seeded> {
  new CustomerStore(vault.db).insertMany(customers);
  const service = new CustomerService(vault);
  const [a, b, c] = customers as [Customer, Customer, Customer];
  vault.db.transaction(() => {
    // A create HQ refused whole, an update refused whole, and one field refused.
    service.sync.reject(mutation(a, 'create'), null, 'CUSTOMER_EXISTS', a);
    const update = mutation(b, 'update');
    service.sync.reject(
      update,
      null,
      'OUT_OF_SCOPE',
      update.kind === 'update' ? update.fields : null,
    );
    service.sync.reject(mutation(c, 'update'), 'identityDocuments', 'STALE', c.identityDocuments);
    service.sync.reject(mutation(c, 'update'), 'englishName', 'STALE', c.englishName ?? 'Ann Lee');
    service.sync.park(mutation(a, 'update'), 'identityDocuments', {
      base: a.identityDocuments,
      local: b.identityDocuments,
      hq: c.identityDocuments,
      hqVersion: a.version,
    });
    service.sync.park(mutation(b, 'update'), 'phones', {
      base: b.phones,
      local: c.phones,
      hq: a.phones,
      hqVersion: b.version,
    });
  })();
  const [conflictId, contactConflictId] = service.sync
    .conflicts({ open: true })
    .map((conflict) => conflict.id) as [number, number];
  // An identity change held for approval, proposed by a teller.
  const held = await dispatch(
    'customer.update',
    { id: a.id, baseVersion: a.version, changes: { legalName: b.legalName } },
    { principal: userOf('teller'), secrets, vault },
  );
  if (!held.ok) throw new Error(held.error.code);
  const pendingChangeId = (held.value as { pendingChangeId: number }).pendingChangeId;
  // A supervisor searching by each kind of identifier leaves the queries in the audit log.
  const target = customers[pick % customers.length]!;
  // A rejection's reason is free text: here it quotes the customer's ID number.
  const second = await dispatch(
    'customer.update',
    { id: b.id, baseVersion: b.version, changes: { legalName: a.legalName } },
    { principal: userOf('teller'), secrets, vault },
  );
  if (!second.ok) throw new Error(second.error.code);
  const rejected = await dispatch(
    'approvals.reject',
    {
      id: (second.value as { pendingChangeId: number }).pendingChangeId,
      reason: `ID ${target.identityDocuments[0]?.number ?? ''} does not match`,
    },
    { principal: userOf('supervisor'), secrets, vault },
  );
  if (!rejected.ok) throw new Error(rejected.error.code);
  const queries = [
    target.identityDocuments[0]?.number,
    target.phones[0]?.e164.replace(/^\+86/, ''),
    target.legalName,
    target.pinyinName,
  ].filter((query): query is string => query !== undefined);
  for (const query of queries)
    await dispatch(
      'customer.search',
      { query },
      { principal: userOf('supervisor'), secrets, vault },
    );
  return {
    customers,
    conflictId,
    contactConflictId,
    pendingChangeId,
    query: queries[pick % queries.length]!,
  };
}

describe('masking, for every command and every role', () => {
  const sandbox = profileSandbox(secrets);
  afterAll(() => sandbox.cleanup());

  it('never hands a role a full identifier it may not reveal', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.nat({ max: 1_000_000 }),
        fc.nat({ max: 100 }),
        fc.stringMatching(/^[A-Z][a-z]{5,9} [A-Z][a-z]{5,9}$/),
        async (seedNumber, pick, englishName) => {
          const customers = [
            ...generateCustomers({
              seed: seedNumber,
              count: 6,
              branches: ['B001'],
              rmsPerBranch: 1,
              corporateShare: 0,
            }),
          ].map((customer, index) => (index === 0 ? { ...customer, englishName } : customer));
          const dataDir = join(sandbox.path, `property-${seedNumber}-${randomUUID()}`);
          const created = createVault(dataDir, secrets);
          sandbox.forget(created.profileId);
          created.close();
          const vault = openVault(dataDir, secrets);
          try {
            const seeded = await seed(vault, customers, pick);
            const all = customers.flatMap(identifiers);
            const input = inputs(seeded, dataDir);
            for (const role of roles) {
              const may = principalPermissions(userOf(role));
              const hidden = all.filter(({ field }) => !may.has(`reveal_${field}`));
              for (const name of commandNames) {
                const context: CommandContext = { principal: userOf(role), secrets, vault };
                const queued = outboxSize(vault);
                const text = JSON.stringify(await dispatch(name, input[name], context));
                // A command that queued a change for HQ is declared so: a desk syncs after it.
                if (outboxSize(vault) > queued) expect(isWriteCommand(name), name).toBe(true);
                for (const { field, value } of hidden)
                  expect(text.includes(value), `${name} as ${role} shows a full ${field}`).toBe(
                    false,
                  );
              }
            }
          } finally {
            vault.close();
          }
        },
      ),
      { numRuns: 3 },
    );
  });
});
