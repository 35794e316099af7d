// 审计日志: the vault's audit log for auditors and supervisors. The chain's verification stays at
// the top; below, filters, the entries in words (resolved and masked by the core), and for the
// auditor an export of what is filtered (CSV, audited) and a printed copy (audited).
import { Alert, App as AntApp, Button, Space, Typography } from 'antd';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { principalPermissions } from '../../../shared/access/permissions';
import { readableAuditRow } from '../../../shared/audit/readable';
import type { CommandOutput } from '../../../shared/commands/contract';
import { errorText } from '../errors';
import { useDesk } from '../store';
import { AuditFilters } from './audit/AuditFilters';
import { AuditPrint } from './audit/AuditPrint';
import { AuditTable } from './audit/AuditTable';
import { useOpenCustomer } from './approvals/open';
import { saveText, today } from './audit/download';
import { emptyFilter, filterInput, filterWords, type AuditFilterState } from './audit/filter';
import './audit/audit.css';

type Query = CommandOutput<'audit.query'>;
type Verification = CommandOutput<'audit.verify'>;

/** The newest entries the screen (and a printed copy) holds; the CSV holds every match. */
const SHOWN = 500;

export function Audit() {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const bridge = useDesk((state) => state.bridge)!;
  const locale = useDesk((state) => state.locale);
  const session = useDesk((state) => state.session);
  const may = principalPermissions({
    kind: 'user',
    userId: session?.user?.userId ?? '',
    username: session?.user?.username ?? '',
    roles: session?.user?.roles ?? [],
  });
  const [verification, setVerification] = useState<Verification>();
  const [result, setResult] = useState<Query>();
  const [filter, setFilter] = useState<AuditFilterState>(emptyFilter);
  /** The filter the rows on screen answer (what an export or print takes). */
  const [applied, setApplied] = useState<AuditFilterState>(emptyFilter);
  const [failure, setFailure] = useState<string>();
  const [busy, setBusy] = useState(false);
  const openCustomer = useOpenCustomer(
    useCallback((error: unknown) => setFailure(errorText(error, locale)), [locale]),
  );

  const load = useCallback(
    async (next: AuditFilterState, verify = false) => {
      setFailure(undefined);
      setBusy(true);
      try {
        // Every read of the log is itself recorded: the chain is checked on opening and on
        // 清除条件, not again for each change of filter.
        if (verify) setVerification(await bridge.call('audit.verify', {}));
        setResult(await bridge.call('audit.query', { ...filterInput(next), limit: SHOWN }));
        setApplied(next);
      } catch (error) {
        setFailure(errorText(error, locale));
      } finally {
        setBusy(false);
      }
    },
    [bridge, locale],
  );

  // Loaded once on opening; the filters apply on 查询 (not on every keystroke).
  const [opened] = useState(() => () => load(emptyFilter, true));
  useEffect(() => {
    void opened();
  }, [opened]);

  const rows = useMemo(
    () => (result?.rows ?? []).map((row) => readableAuditRow(row, locale)),
    [result, locale],
  );
  const staffName = (actor: string) =>
    result?.staff.find((member) => member.actor === actor)?.name ?? actor;

  const exportCsv = async () => {
    setFailure(undefined);
    try {
      const { csv, rows: count } = await bridge.call('audit.csv', {
        ...filterInput(applied),
        locale,
      });
      const file = `${t('auditLog.file')}-${today()}.csv`;
      saveText(csv, file, 'text/csv;charset=utf-8');
      void message.success(t('auditLog.exported', { rows: count, file }));
    } catch (error) {
      setFailure(errorText(error, locale));
    }
  };

  const print = async () => {
    setFailure(undefined);
    try {
      // Recorded before the page goes to the printer, as an export would be.
      await bridge.call('audit.print', filterInput(applied));
      window.print();
    } catch (error) {
      setFailure(errorText(error, locale));
    }
  };

  const problem = verification?.firstBad?.problem;
  return (
    <div data-testid="audit-view">
      <Typography.Title level={4}>{t('auditLog.title')}</Typography.Title>
      {verification && (
        <Alert
          type={verification.ok ? 'success' : 'error'}
          showIcon
          data-testid="audit-chain"
          title={
            verification.ok
              ? t('auditLog.intact', { count: verification.checked })
              : t('auditLog.broken', {
                  seq: verification.firstBad?.seq ?? 0,
                  problem: problem ? t(`auditLog.problem.${problem}`) : '',
                })
          }
          style={{ marginBottom: 12 }}
        />
      )}
      {failure && (
        <Alert
          type="error"
          showIcon
          title={failure}
          data-testid="audit-failure"
          style={{ marginBottom: 12 }}
        />
      )}
      <AuditFilters
        filter={filter}
        onChange={setFilter}
        onSearch={() => void load(filter)}
        onReset={() => {
          setFilter(emptyFilter);
          void load(emptyFilter, true);
        }}
        staff={result?.staff ?? []}
        locale={locale}
        busy={busy}
      />
      <Space style={{ marginBottom: 8, width: '100%', justifyContent: 'space-between' }}>
        <span data-testid="audit-total">
          {result &&
            (result.total > result.rows.length
              ? t('auditLog.shown', { total: result.total, shown: result.rows.length })
              : t('auditLog.total', { total: result.total }))}
        </span>
        {may.has('export') && (
          <Space>
            <Button onClick={() => void exportCsv()} data-testid="audit-export" disabled={!result}>
              {t('auditLog.export')}
            </Button>
            <Button onClick={() => void print()} data-testid="audit-print" disabled={!result}>
              {t('auditLog.print')}
            </Button>
          </Space>
        )}
      </Space>
      <AuditTable
        rows={rows}
        loading={!result}
        {...(may.has('view') ? { onOpen: (id: string) => void openCustomer(id) } : {})}
      />
      {result && (
        <AuditPrint
          rows={rows}
          total={result.total}
          filter={filterWords(applied, locale, t, staffName)}
          printedBy={session?.user?.displayName ?? ''}
        />
      )}
    </div>
  );
}
