// What `branchctl doctor` checks, on the profile this desk uses: each check in words and whether
// it passed; a failed one says why in the user's language.
import { Button, Card, Table, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { DeviceHealth } from '../../../../shared/commands/device';
import { doctorCheckLabels } from '../../../../shared/i18n/doctor';
import type { Locale } from '../../i18n';
import { tagColour } from '../tags';
import { codeInWords } from './words';

type Check = DeviceHealth['doctor']['checks'][number];

export function HealthCard({
  doctor,
  locale,
  onRecheck,
}: {
  doctor: DeviceHealth['doctor'] | undefined;
  locale: Locale;
  onRecheck: () => void;
}) {
  const { t } = useTranslation();
  return (
    <Card
      size="small"
      title={t('roles.it.health')}
      extra={
        <Button size="small" onClick={onRecheck} data-testid="it-recheck">
          {t('roles.it.recheck')}
        </Button>
      }
      data-testid="it-health"
    >
      {doctor && (
        <Tag
          color={doctor.healthy ? tagColour.green : tagColour.red}
          data-testid="it-health-verdict"
          style={{ marginBottom: 8 }}
        >
          {doctor.healthy ? t('roles.it.healthy') : t('roles.it.unhealthy')}
        </Tag>
      )}
      <Table<Check>
        size="small"
        pagination={false}
        rowKey="id"
        loading={!doctor}
        dataSource={doctor?.checks ?? []}
        columns={[
          {
            title: t('roles.it.check'),
            key: 'label',
            // branchctl prints them after a tick mark; a table row starts with a capital.
            render: (_value, check) => capitalised(doctorCheckLabels[locale][check.id]),
          },
          {
            title: t('roles.it.result'),
            key: 'result',
            render: (_value, check) =>
              check.ok ? (
                <Tag color={tagColour.green}>{t('roles.it.ok')}</Tag>
              ) : (
                <span>
                  <Tag color={check.severity === 'warning' ? tagColour.orange : tagColour.red}>
                    {check.severity === 'warning' ? t('roles.it.warning') : t('roles.it.failed')}
                  </Tag>
                  {check.errorCode ? codeInWords(check.errorCode, locale) : null}
                </span>
              ),
          },
        ]}
      />
    </Card>
  );
}

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
