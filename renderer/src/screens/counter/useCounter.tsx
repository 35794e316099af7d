// The teller's side of the counter's customer screen (docs/COUNTER.md). With a customer screen
// connected, a contact change or a consent is put before the customer, and saved by the core
// only when they confirm there: the editor waits, with a dialog the teller can cancel. The
// self-service form and the rating after a visit start here too.
import { App as AntApp, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { CommandOutput } from '../../../../shared/commands/contract';
import type { CounterChange } from '../../../../shared/counter/display';
import { BridgeError } from '../../bridge';
import { useDesk } from '../../store';
import { tagColour } from '../tags';

type Request = NonNullable<CommandOutput<'counter.status'>['request']>;

/** The customer did not confirm (declined, or the request went): nothing was saved. */
export class NotConfirmed extends BridgeError {
  constructor(
    readonly state: Request['state'],
    messages: { 'zh-CN': string; en: string },
  ) {
    super(`COUNTER_${state.toUpperCase()}`, messages);
  }
}

const POLL_MS = 400;
/** How long the desk watches for the customer's rating (seconds): a customer may walk away. */
const RATING_WAIT_POLLS = 300;
const pause = (ms: number) => new Promise((resolve) => window.setTimeout(resolve, ms));

export function useCounter() {
  const { t, i18n } = useTranslation();
  const { modal, message } = AntApp.useApp();
  const bridge = useDesk((state) => state.bridge)!;
  const display = useDesk((state) => state.counter?.display ?? false);
  const set = useDesk((state) => state.set);

  /** Waits, with a dialog the teller may cancel, until the request is no longer `waiting`. */
  async function wait(started: Request, text: string, settled: Request['state'][]) {
    const { requestId } = started;
    const dialog = modal.info({
      title: t('counter.ask'),
      content: <span data-testid="counter-waiting">{text}</span>,
      okText: t('counter.cancel'),
      okButtonProps: { danger: true, 'data-testid': 'counter-cancel' } as never,
      onOk: () => bridge.call('counter.cancel', { requestId }).then(() => undefined),
    });
    try {
      for (;;) {
        const status = await bridge.call('counter.status', {});
        set({ counter: status });
        const request = status.request;
        if (!request || request.requestId !== requestId)
          return { ...started, state: 'cancelled' as const };
        if (settled.includes(request.state)) return request;
        await pause(POLL_MS);
      }
    } finally {
      dialog.destroy();
    }
  }

  const words = (key: string, options?: Record<string, string>) => ({
    'zh-CN': i18n.getFixedT('zh-CN')(key, options),
    en: i18n.getFixedT('en')(key, options),
  });

  /**
   * Puts `change` before the customer and waits: resolves once they confirmed and it is saved,
   * throws NotConfirmed when they declined, the teller cancelled, or the save failed.
   */
  async function confirm(
    customerId: string,
    baseVersion: number | undefined,
    change: CounterChange,
  ) {
    const started = await bridge.call('counter.confirm', {
      requestId: crypto.randomUUID(),
      customerId,
      ...(baseVersion ? { baseVersion } : {}),
      change,
    });
    const done = await wait(started.request!, t('counter.waiting'), [
      'confirmed',
      'declined',
      'cancelled',
      'failed',
    ]);
    if (done.state === 'confirmed') return;
    if (done.state === 'failed' && done.error)
      throw new NotConfirmed(done.state, {
        'zh-CN': i18n.getFixedT('zh-CN')('counter.failed', { reason: done.error.message['zh-CN'] }),
        en: i18n.getFixedT('en')('counter.failed', { reason: done.error.message.en }),
      });
    throw new NotConfirmed(
      done.state,
      words(done.state === 'declined' ? 'counter.declined' : 'counter.cancelled'),
    );
  }

  /**
   * The self-service form on the customer's screen; once they submit, the teller sees which
   * fields changed (never the values) and applies the update or not.
   */
  async function selfService(customerId: string): Promise<'approved' | 'rejected' | 'cancelled'> {
    const started = await bridge.call('counter.self_service', {
      requestId: crypto.randomUUID(),
      customerId,
    });
    const done = await wait(started.request!, t('counter.waitingSelf'), ['submitted', 'cancelled']);
    if (done.state !== 'submitted') return 'cancelled';
    const fields = (done.fields ?? []).map((field) => t(`counter.fields.${field}`)).join('、');
    const { requestId } = done;
    return new Promise((resolve) => {
      modal.confirm({
        title: t('counter.selfService'),
        content: <span data-testid="counter-submitted">{t('counter.submitted', { fields })}</span>,
        okText: t('counter.approve'),
        cancelText: t('counter.reject'),
        okButtonProps: { 'data-testid': 'counter-approve' } as never,
        cancelButtonProps: { 'data-testid': 'counter-reject' } as never,
        onOk: async () => {
          const status = await bridge.call('counter.approve', { requestId });
          set({ counter: status });
          if (status.request?.state === 'failed') {
            void message.error(
              t('counter.failed', {
                reason:
                  status.request.error?.message[i18n.language === 'en' ? 'en' : 'zh-CN'] ?? '',
              }),
            );
            resolve('cancelled');
          } else {
            void message.success(t('counter.approved'));
            resolve('approved');
          }
        },
        onCancel: async () => {
          await bridge.call('counter.reject', { requestId }).catch(() => undefined);
          void message.info(t('counter.rejected'));
          resolve('rejected');
        },
      });
    });
  }

  /**
   * Asks the customer to rate the visit just recorded; the teller goes on meanwhile, and the
   * record on screen shows the rating once the customer gives it.
   */
  async function askRating(customerId: string, visitId: string): Promise<void> {
    const requestId = crypto.randomUUID();
    await bridge.call('counter.ask_rating', { requestId, customerId, visitId });
    void message.info(t('counter.waitingRate'));
    void (async () => {
      for (let tries = 0; tries < RATING_WAIT_POLLS; tries++) {
        await pause(1_000);
        const request = (await bridge.call('counter.status', {}).catch(() => undefined))?.request;
        if (request?.requestId !== requestId || request.state === 'cancelled') return;
        if (request.state === 'waiting') continue;
        if (request.state === 'rated' && useDesk.getState().customerId === customerId) {
          set({ customer: await bridge.call('customer.show', { id: customerId }) });
          void message.success(t('counter.rated'));
        }
        return;
      }
    })();
  }

  return { display, confirm, selfService, askRating };
}

/** The status bar's word on the customer screen: connected, or none. */
export function CounterTag() {
  const { t } = useTranslation();
  const display = useDesk((state) => state.counter?.display);
  if (display === undefined) return null;
  return (
    <Tag color={display ? tagColour.green : undefined} data-testid="status-counter">
      {display ? t('counter.displayOn') : t('counter.noDisplay')}
    </Tag>
  );
}
