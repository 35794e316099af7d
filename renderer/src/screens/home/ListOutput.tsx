// 打印 and 导出加密文件 on a figure's list (工作台): both take the whole list as sorted on screen
// (at most 10,000 rows), masked as the screen shows it, and both are audited by the core. Print
// fetches the rows (insight.print_list, audited as a print) into a layer of its own on <body>,
// which only the print style sheet shows, then opens the printer. Export asks for a password
// twice and the core returns a ZIP encrypted with AES-256 (insight.export_list): the desk saves
// it as a download; no plaintext copy of the list is written anywhere.
import { Alert, Button, Form, Input, Modal, Space, Typography } from 'antd';
import { useState } from 'react';
import { createPortal } from 'react-dom';
import { useTranslation } from 'react-i18next';
import type { BookScope, InsightPrintListOutput } from '../../../../shared/commands/insight';
import type { BookFigure } from '../../../../shared/insight/book';
import { exportPasswordSchema } from '../../../../shared/insight/list-export';
import { errorText } from '../../errors';
import { formatPhone } from '../../format';
import { useCan } from '../../permissions';
import { useDesk } from '../../store';
import { saveBlob } from '../audit/download';

type Sort = 'day' | 'name' | 'number';

export function ListOutput({
  scope,
  figure,
  sort,
  label,
}: {
  scope: BookScope;
  figure: BookFigure;
  sort: { by: Sort; descending: boolean };
  /** The list's title as the screen shows it, for the printed page. */
  label: string;
}) {
  const { t } = useTranslation();
  const bridge = useDesk((state) => state.bridge)!;
  const locale = useDesk((state) => state.locale);
  const who = useDesk((state) => state.session?.user?.displayName ?? '');
  const can = useCan();
  const [printed, setPrinted] = useState<InsightPrintListOutput>();
  const [asking, setAsking] = useState(false);
  const [failure, setFailure] = useState<string>();
  const [done, setDone] = useState<string>();
  if (!can('export_book')) return null;
  const selection = { scope, figure, sort: sort.by, descending: sort.descending };

  const print = async () => {
    setFailure(undefined);
    try {
      const list = await bridge.call('insight.print_list', selection);
      setPrinted(list);
      // The layer renders first; then the printer takes the page.
      requestAnimationFrame(() => window.print());
    } catch (error) {
      setFailure(errorText(error, locale));
    }
  };

  return (
    <>
      <Space>
        <Button onClick={() => void print()} data-testid="list-print">
          {t('listOutput.print')}
        </Button>
        <Button onClick={() => setAsking(true)} data-testid="list-export">
          {t('listOutput.export')}
        </Button>
      </Space>
      {failure && <Alert type="error" showIcon message={failure} data-testid="list-output-error" />}
      {done && (
        <Alert
          type="success"
          showIcon
          closable
          onClose={() => setDone(undefined)}
          message={done}
          data-testid="list-exported"
        />
      )}
      {asking && (
        <ExportDialog
          onCancel={() => setAsking(false)}
          onExport={async (password) => {
            const file = await bridge.call('insight.export_list', {
              ...selection,
              locale,
              password,
            });
            saveBytes(file.file, file.name);
            setAsking(false);
            setDone(
              file.total > file.rows
                ? t('listOutput.exportedPart', {
                    name: file.name,
                    rows: file.rows,
                    total: file.total,
                  })
                : t('listOutput.exported', { name: file.name, rows: file.rows }),
            );
          }}
        />
      )}
      {printed &&
        createPortal(
          <section className="book-print" data-testid="list-print-view">
            <h1>{label}</h1>
            <p>
              {t('listOutput.printedBy', { name: who, at: new Date().toLocaleString(locale) })} ·{' '}
              {printed.total > printed.items.length
                ? t('listOutput.printedPart', { rows: printed.items.length, total: printed.total })
                : t('listOutput.printedAll', { rows: printed.items.length })}
            </p>
            <table>
              <thead>
                <tr>
                  <th>{t('home.day')}</th>
                  <th>{t('home.number')}</th>
                  <th>{t('home.name')}</th>
                  <th>{t('customer.phone')}</th>
                </tr>
              </thead>
              <tbody>
                {printed.items.map((row) => (
                  <tr key={row.customer.id}>
                    <td>{row.day ?? '—'}</td>
                    <td>{row.customer.customerNumber}</td>
                    <td>{row.customer.displayName}</td>
                    <td>
                      {row.customer.primaryPhone ? formatPhone(row.customer.primaryPhone) : ''}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>,
          document.body,
        )}
    </>
  );
}

/** The password, twice, checked as the core checks it; Enter exports, Esc cancels. */
function ExportDialog({
  onCancel,
  onExport,
}: {
  onCancel: () => void;
  onExport: (password: string) => Promise<void>;
}) {
  const { t } = useTranslation();
  const locale = useDesk((state) => state.locale);
  const [password, setPassword] = useState('');
  const [again, setAgain] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string>();
  const weak = password !== '' && !exportPasswordSchema.safeParse(password).success;
  const differs = again !== '' && again !== password;
  const ready = password !== '' && !weak && again === password && !busy;
  const submit = async () => {
    if (!ready) return;
    setBusy(true);
    setFailure(undefined);
    try {
      await onExport(password);
    } catch (error) {
      setFailure(errorText(error, locale));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open
      title={t('listOutput.exportTitle')}
      onCancel={onCancel}
      onOk={() => void submit()}
      okText={t('listOutput.exportOk')}
      okButtonProps={{ disabled: !ready, loading: busy, 'data-testid': 'list-export-ok' } as never}
      cancelText={t('listOutput.cancel')}
      destroyOnHidden
    >
      <Typography.Paragraph>{t('listOutput.exportHelp')}</Typography.Paragraph>
      <Form layout="vertical" onFinish={() => void submit()}>
        <Form.Item
          label={t('listOutput.password')}
          htmlFor="list-export-password"
          validateStatus={weak ? 'error' : undefined}
          help={weak ? t('listOutput.weak') : undefined}
        >
          <Input.Password
            id="list-export-password"
            autoFocus
            autoComplete="new-password"
            value={password}
            onChange={(event) => setPassword(event.target.value)}
            data-testid="list-export-password"
          />
        </Form.Item>
        <Form.Item
          label={t('listOutput.again')}
          htmlFor="list-export-again"
          validateStatus={differs ? 'error' : undefined}
          help={differs ? t('listOutput.differs') : undefined}
        >
          <Input.Password
            id="list-export-again"
            autoComplete="new-password"
            value={again}
            onChange={(event) => setAgain(event.target.value)}
            onPressEnter={() => void submit()}
            data-testid="list-export-again"
          />
        </Form.Item>
      </Form>
      {failure && <Alert type="error" showIcon message={failure} />}
    </Modal>
  );
}

/** Base64 bytes saved as a download, as the audit log's CSV is. */
function saveBytes(base64: string, name: string): void {
  const bytes = Uint8Array.from(atob(base64), (char) => char.charCodeAt(0));
  saveBlob(new Blob([bytes], { type: 'application/zip' }), name);
}
