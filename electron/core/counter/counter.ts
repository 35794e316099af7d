// The counter's customer screen (客户确认屏, docs/COUNTER.md), on the core's side. One per PC: the
// teller's desk asks the core to put a request before the customer (a change to confirm, the
// self-service form, a rating), the customer answers from the screen's own connection, and the
// core saves what the customer confirmed through the one command table, as the teller, with the
// confirmation recorded as evidence in the change's audit entry (and, for a consent, in the
// ledger: evidence `customer_screen`). Nothing is saved before the customer confirms; a request
// whose teller signed out, locked the desk or cancelled is gone from the customer's screen.
//
// Requests live in memory only: what the customer typed never touches the disk until it is
// saved into the encrypted vault.
import { maskName } from '../../../shared/access/masking';
import type { CommandName } from '../../../shared/commands/contract';
import type { CounterStatus } from '../../../shared/commands/counter';
import {
  SelfServiceUpdate,
  type CounterChange,
  type CounterRequestState,
  type DisplayView,
  type DisplayedChange,
  type SatisfactionReason,
  type SelfServiceField,
} from '../../../shared/counter/display';
import { addressText, counterNotices, phoneText } from '../../../shared/counter/notices';
import { toCustomerListItem, type Customer } from '../../../shared/customer';
import { addressSchema, type Address } from '../../../shared/customer/contacts';
import { BranchDeskError, isBranchDeskError, type SerializedError } from '../../../shared/errors';
import { validateEmail, validatePhone } from '../../../shared/validation';
import { AuditLog } from '../audit/log';
import { actorOf } from '../audit/actor';
import { bankDay } from '../../../shared/insight/day';
import { wallClock } from '../clock';
import { CustomerService } from '../customers';
import { log } from '../log';
import type { StaffSession } from '../session/session';
import { currentNotice, noticeOfVersion } from '../sync/notices';
import { counterNoticeTable } from '../sync/rule-tables';
import type { Vault } from '../vault';
import { profileEnvironment } from '../device/enrollment';
import type { CommandContext, CommandResult } from '../commands/table';

/** How the core runs a command as the teller: the one dispatcher every desk call goes through. */
export type RunCommand = (
  command: CommandName,
  input: unknown,
  context: CommandContext,
) => Promise<CommandResult>;

type Kind = 'confirm' | 'self_service' | 'rate';

interface Request {
  requestId: string;
  customerId: string;
  kind: Kind;
  state: CounterRequestState;
  /** The desk whose teller asked: only they see it, and it ends with their session. */
  session: StaffSession;
  context: CommandContext;
  change?: CounterChange;
  baseVersion?: number;
  visitId?: string;
  /** What the customer typed (self-service), checked; held in memory until approved. */
  update?: Checked;
  version?: number;
  error?: SerializedError;
}

/** A self-service update, each value normalised by the desk's validators. */
interface Checked {
  phone?: string;
  email?: string;
  address?: Address;
}

/** A desk's requests that finished stay readable to it a while (its waiting dialog's last poll). */
const FINISHED: readonly CounterRequestState[] = [
  'confirmed',
  'declined',
  'approved',
  'rejected',
  'rated',
  'cancelled',
  'failed',
];

export class Counter {
  private request: Request | undefined;
  private readonly displays = new Set<(view: DisplayView) => void>();

  constructor(
    private readonly deps: {
      vault: () => Vault | undefined;
      run: RunCommand;
    },
  ) {}

  // ---- the customer screen's connection ----

  /** A customer screen connected: it is shown the current view now and at every change. */
  connectDisplay(listener: (view: DisplayView) => void): () => void {
    this.displays.add(listener);
    listener(this.view());
    return () => this.displays.delete(listener);
  }

  get displayConnected(): boolean {
    return this.displays.size > 0;
  }

  /** What the customer's screen shows now (a training profile's says so: the watermark). */
  view(): DisplayView {
    const view = this.shown();
    const vault = this.deps.vault();
    return vault && profileEnvironment(vault) === 'training' ? { ...view, training: true } : view;
  }

  private shown(): DisplayView {
    const request = this.live();
    if (!request) return { screen: 'idle', notices: this.notices() };
    switch (request.state) {
      case 'waiting':
        if (request.kind === 'confirm')
          return {
            screen: 'confirm',
            requestId: request.requestId,
            greeting: this.greeting(request.customerId),
            change: this.displayed(request),
          };
        if (request.kind === 'self_service')
          return {
            screen: 'self_service',
            requestId: request.requestId,
            greeting: this.greeting(request.customerId),
            fields: ['phone', 'email', 'address'],
          };
        return { screen: 'rate', requestId: request.requestId };
      case 'submitted':
        return { screen: 'thanks', requestId: request.requestId, outcome: 'submitted' };
      case 'approved':
      case 'rejected':
      case 'confirmed':
        return { screen: 'thanks', requestId: request.requestId, outcome: 'confirmed' };
      default:
        return {
          screen: 'thanks',
          requestId: request.requestId,
          outcome: request.state as 'declined' | 'rated' | 'cancelled' | 'failed',
        };
    }
  }

  /** The customer confirms the change on their screen: it is saved now, as the teller. */
  async confirm(requestId: string): Promise<DisplayView> {
    const request = this.answerable(requestId, 'confirm');
    const change = request.change!;
    this.record(request, 'confirmed');
    request.state = 'confirmed';
    const saved = await this.save(request, ...this.commandFor(request, change));
    if (!saved) request.state = 'failed';
    this.emit();
    return this.view();
  }

  /** The customer declines: nothing is saved, and that is recorded. */
  decline(requestId: string): DisplayView {
    const request = this.answerable(requestId, 'confirm');
    request.state = 'declined';
    this.record(request, 'declined');
    this.emit();
    return this.view();
  }

  /**
   * The customer's own new phone, e-mail or address, checked by the desk's validators: held for
   * the teller's approval, who is told only that an update waits, and for which fields.
   */
  submit(requestId: string, raw: unknown): DisplayView {
    const request = this.answerable(requestId, 'self_service');
    request.update = checkedUpdate(raw);
    request.state = 'submitted';
    this.record(request, 'submitted', { fields: fieldsOf(request.update) });
    this.emit();
    return this.view();
  }

  /** The customer rates the visit: recorded with it, as what the customer said. */
  async rate(requestId: string, score: number, reason?: SatisfactionReason): Promise<DisplayView> {
    const request = this.answerable(requestId, 'rate');
    request.state = 'rated';
    const saved = await this.save(request, 'customer.record_satisfaction', {
      id: request.customerId,
      ratingId: request.requestId,
      visitId: request.visitId,
      score,
      ...(reason ? { reason } : {}),
    });
    if (!saved) request.state = 'failed';
    this.emit();
    return this.view();
  }

  // ---- the teller's desk ----

  status(session: StaffSession): CounterStatus {
    const request = this.request?.session === session ? this.request : undefined;
    return {
      display: this.displayConnected,
      request: request
        ? {
            requestId: request.requestId,
            customerId: request.customerId,
            kind: request.kind,
            state: this.live() === request ? request.state : 'cancelled',
            ...(request.update ? { fields: fieldsOf(request.update) } : {}),
            ...(request.version ? { version: request.version } : {}),
            ...(request.error
              ? { error: { code: request.error.code, message: request.error.message } }
              : {}),
          }
        : null,
    };
  }

  /** Puts a request before the customer, replacing this desk's finished one. */
  ask(
    session: StaffSession,
    context: CommandContext,
    request: {
      requestId: string;
      customerId: string;
      kind: Kind;
      change?: CounterChange;
      baseVersion?: number;
      visitId?: string;
    },
  ): CounterStatus {
    if (!this.displayConnected) throw new BranchDeskError('COUNTER_NO_DISPLAY');
    const current = this.live();
    if (current?.requestId === request.requestId) return this.status(session);
    if (current && !FINISHED.includes(current.state) && current.state !== 'submitted')
      throw new BranchDeskError('COUNTER_BUSY');
    if (current?.state === 'submitted' && current.session !== session)
      throw new BranchDeskError('COUNTER_BUSY');
    // The customer must exist here; a change is checked now, so the customer sees it as saved.
    this.customer(request.customerId);
    const change = request.change ? checkedChange(request.change) : undefined;
    this.request = {
      ...request,
      ...(change ? { change } : {}),
      state: 'waiting',
      session,
      context,
    };
    this.record(this.request, 'asked');
    this.emit();
    return this.status(session);
  }

  cancel(session: StaffSession, requestId: string): CounterStatus {
    const request = this.own(session, requestId);
    if (request.state === 'waiting' || request.state === 'submitted') {
      request.state = 'cancelled';
      delete request.update;
      this.record(request, 'cancelled');
      this.emit();
    }
    return this.status(session);
  }

  /** The teller approves the customer's own update: each field saved through its command. */
  async approve(session: StaffSession, requestId: string): Promise<CounterStatus> {
    const request = this.own(session, requestId);
    if (request.state !== 'submitted' || !request.update)
      throw new BranchDeskError('COUNTER_NOTHING_TO_APPROVE');
    const update = request.update;
    delete request.update;
    request.state = 'approved';
    this.record(request, 'approved', { fields: fieldsOf(update) });
    for (const [command, input] of this.updateCommands(request.customerId, update)) {
      // Each save reads the record as it is now: the version moves with each field.
      const base = this.customer(request.customerId).version;
      if (
        !(await this.save(request, command, {
          ...input,
          id: request.customerId,
          baseVersion: base,
        }))
      )
        break;
    }
    if (request.error) request.state = 'failed';
    this.emit();
    return this.status(session);
  }

  reject(session: StaffSession, requestId: string): CounterStatus {
    const request = this.own(session, requestId);
    if (request.state !== 'submitted') throw new BranchDeskError('COUNTER_NOTHING_TO_APPROVE');
    delete request.update;
    request.state = 'rejected';
    this.record(request, 'rejected');
    this.emit();
    return this.status(session);
  }

  // ---- inside ----

  /** The request on the screen, unless its teller's session is no longer active. */
  private live(): Request | undefined {
    const request = this.request;
    if (!request) return undefined;
    if (request.session.status().state !== 'active') {
      if (request.state === 'waiting' || request.state === 'submitted') {
        request.state = 'cancelled';
        delete request.update;
      }
      return undefined;
    }
    return request;
  }

  private answerable(requestId: string, kind: Kind): Request {
    const request = this.live();
    if (!request || request.requestId !== requestId || request.kind !== kind)
      throw new BranchDeskError('COUNTER_REQUEST_GONE');
    if (request.state !== 'waiting') throw new BranchDeskError('COUNTER_REQUEST_GONE');
    return request;
  }

  private own(session: StaffSession, requestId: string): Request {
    const request = this.request;
    if (!request || request.session !== session || request.requestId !== requestId)
      throw new BranchDeskError('COUNTER_REQUEST_GONE');
    return request;
  }

  /** Saves through the command table as the teller, the customer's confirmation as evidence. */
  private async save(request: Request, command: CommandName, input: unknown): Promise<boolean> {
    const result = await this.deps.run(command, input, {
      ...request.context,
      confirmation: { requestId: request.requestId, on: 'customer_screen' },
    });
    if (result.ok) {
      const saved = result.value as { customer?: { version?: number } };
      if (typeof saved.customer?.version === 'number') request.version = saved.customer.version;
      return true;
    }
    request.error = result.error;
    log('warn', 'counter.save_failed', { command, code: result.error.code });
    return false;
  }

  private commandFor(request: Request, change: CounterChange): [CommandName, unknown] {
    const id = request.customerId;
    const baseVersion = request.baseVersion ?? this.customer(id).version;
    // The customer asked for this correction of their data (更正, PIPL Art. 46).
    const correction = change.kind !== 'consent' && change.correction ? { correction: true } : {};
    switch (change.kind) {
      case 'phone':
        return [
          'customer.set_phone',
          { id, baseVersion, index: change.index, phone: change.phone, ...correction },
        ];
      case 'address':
        return [
          'customer.set_address',
          { id, baseVersion, index: change.index, address: change.address, ...correction },
        ];
      case 'email':
        return [
          'customer.update',
          { id, baseVersion, changes: { email: change.email }, ...correction },
        ];
      case 'consent': {
        const { consentId, purpose, channel, noticeVersion, expiresOn } = change;
        const evidence = { kind: 'customer_screen' as const };
        return change.state === 'granted'
          ? [
              'customer.grant_consent',
              {
                id,
                consentId,
                purpose,
                channel,
                noticeVersion,
                evidence,
                ...(expiresOn ? { expiresOn } : {}),
              },
            ]
          : ['customer.withdraw_consent', { id, consentId, purpose, channel, evidence }];
      }
    }
  }

  /**
   * The commands that save a self-service update: the mobile number replaces the primary (or
   * first) mobile, the address the residential one, each a new entry when there is none.
   */
  private updateCommands(customerId: string, update: Checked): [CommandName, object][] {
    const customer = this.customer(customerId);
    const commands: [CommandName, object][] = [];
    if (update.phone) {
      const mobiles = customer.phones
        .map((phone, index) => ({ phone, index }))
        .filter(({ phone }) => phone.kind === 'mobile');
      const target = mobiles.find(({ phone }) => phone.primary) ?? mobiles[0];
      const index = target?.index ?? customer.phones.length;
      const primary = target ? target.phone.primary : customer.phones.length === 0;
      commands.push([
        'customer.set_phone',
        { index, phone: { kind: 'mobile', e164: update.phone, ...(primary ? { primary } : {}) } },
      ]);
    }
    if (update.email) commands.push(['customer.update', { changes: { email: update.email } }]);
    if (update.address) {
      const found = customer.addresses.findIndex(
        (address) => address.kind === update.address!.kind,
      );
      const { id: _none, ...address } = update.address;
      commands.push([
        'customer.set_address',
        { index: found === -1 ? customer.addresses.length : found, address },
      ]);
    }
    return commands;
  }

  /** The change as the customer sees it: their own old and new value, in full. */
  private displayed(request: Request): DisplayedChange {
    const change = request.change!;
    const customer = this.customer(request.customerId);
    switch (change.kind) {
      case 'phone':
        return {
          field: 'phone',
          before: phoneText(customer.phones[change.index]?.e164),
          after: phoneText(change.phone.e164)!,
        };
      case 'email':
        return { field: 'email', before: customer.email ?? null, after: change.email };
      case 'address': {
        const before = customer.addresses[change.index];
        return {
          field: 'address',
          before: before ? addressText(before) : null,
          after: addressText(change.address),
        };
      }
      case 'consent': {
        const notice =
          change.state === 'granted' && change.noticeVersion
            ? this.notice(change.noticeVersion)
            : null;
        return {
          field: 'consent',
          purpose: change.purpose,
          state: change.state,
          ...(change.expiresOn ? { expiresOn: change.expiresOn } : {}),
          notice,
        };
      }
    }
  }

  /** The privacy notice a grant shows, as the vault holds it (null: not received here). */
  private notice(version: string) {
    const vault = this.deps.vault();
    if (!vault) return null;
    try {
      const notice = noticeOfVersion(vault, version);
      return {
        version,
        title: { 'zh-CN': notice.zh.title, en: notice.en.title },
        body: { 'zh-CN': notice.zh.body, en: notice.en.body },
      };
    } catch (error) {
      if (isBranchDeskError(error, 'NOTICE_NOT_FOUND')) return null;
      throw error;
    }
  }

  /** While idle: the bank's notices for customers, and the privacy notice in force. */
  private notices() {
    const vault = this.deps.vault();
    if (!vault) return counterNotices(undefined, null);
    return counterNotices(counterNoticeTable(vault), currentNotice(vault, bankDay(wallClock())));
  }

  /** The customer's name as the teller's screen shows it by default: the surname, masked. */
  private greeting(customerId: string): string {
    return maskName(
      toCustomerListItem(this.customer(customerId), { hasPendingChanges: false }).displayName,
    );
  }

  private customer(id: string): Customer {
    const vault = this.deps.vault();
    if (!vault) throw new BranchDeskError('VAULT_NOT_OPEN');
    return new CustomerService(vault).show({ id }).customer;
  }

  /** Each step is in the audit log: who asked, what the customer did (never what they typed). */
  private record(request: Request, step: string, details: Record<string, unknown> = {}): void {
    const vault = this.deps.vault();
    if (!vault) return;
    const change = request.change;
    new AuditLog(vault).append({
      actor: actorOf(request.context.principal).id,
      action: 'customer_screen',
      target: request.customerId,
      details: {
        step,
        requestId: request.requestId,
        request: request.kind,
        ...(change
          ? { change: change.kind === 'consent' ? `consent:${change.purpose}` : change.kind }
          : {}),
        ...details,
      },
    });
  }

  private emit(): void {
    const view = this.view();
    for (const listener of this.displays) listener(view);
  }
}

function fieldsOf(update: Checked): SelfServiceField[] {
  return (['phone', 'email', 'address'] as const).filter((field) => update[field] !== undefined);
}

/** A change as it will be saved (a number in E.164), or INPUT_INVALID naming what is wrong. */
function checkedChange(change: CounterChange): CounterChange {
  switch (change.kind) {
    case 'phone': {
      const phone = validatePhone(change.phone.e164, { kind: change.phone.kind });
      if (!phone.ok) throw new BranchDeskError('INPUT_INVALID', { issues: 'change.phone' });
      return { ...change, phone: { ...change.phone, e164: phone.value.e164 } };
    }
    case 'email': {
      const email = validateEmail(change.email);
      if (!email.ok) throw new BranchDeskError('INPUT_INVALID', { issues: 'change.email' });
      return { ...change, email: email.value };
    }
    case 'address':
      if (!addressSchema.safeParse(change.address).success)
        throw new BranchDeskError('INPUT_INVALID', { issues: 'change.address' });
      return change;
    case 'consent':
      return change;
  }
}

/** A self-service update as the desk's validators accept it, else a typed error naming fields. */
function checkedUpdate(raw: unknown): Checked {
  const parsed = SelfServiceUpdate.safeParse(raw);
  if (!parsed.success) throw new BranchDeskError('INPUT_INVALID', { issues: 'update' });
  const bad: string[] = [];
  const checked: Checked = {};
  if (parsed.data.phone !== undefined) {
    const phone = validatePhone(parsed.data.phone, { kind: 'mobile' });
    if (phone.ok) checked.phone = phone.value.e164;
    else bad.push('phone');
  }
  if (parsed.data.email !== undefined) {
    const email = validateEmail(parsed.data.email);
    if (email.ok) checked.email = email.value;
    else bad.push('email');
  }
  if (parsed.data.address !== undefined) {
    const address = addressSchema.safeParse(parsed.data.address);
    if (address.success) checked.address = address.data;
    else bad.push('address');
  }
  if (bad.length > 0) throw new BranchDeskError('INPUT_INVALID', { issues: bad.join(', ') });
  return checked;
}
