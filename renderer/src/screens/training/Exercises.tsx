// 培训练习: the guided exercises of a training profile. Start one to get a task with a training
// customer to serve; do it on the desk as at a real counter; check it to hear what was right and
// what to do differently. A supervisor also sees who completed which.
import { Alert, Button, Card, List, Space, Table, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CommandOutput } from '../../../../shared/commands/contract';
import type { ExerciseId } from '../../../../shared/training/exercises';
import { errorText } from '../../errors';
import { useCan } from '../../permissions';
import { useDesk } from '../../store';
import { tagColour } from '../tags';

type Listed = CommandOutput<'training.exercises'>['exercises'][number];
type Progress = CommandOutput<'training.progress'>['runs'];

export function Exercises() {
  const { t } = useTranslation();
  const can = useCan();
  const bridge = useDesk((state) => state.bridge)!;
  const locale = useDesk((state) => state.locale);
  const [listed, setListed] = useState<Listed[]>();
  const [progress, setProgress] = useState<Progress>();
  const [failure, setFailure] = useState<string>();

  const refresh = useCallback(async () => {
    try {
      setListed((await bridge.call('training.exercises', {})).exercises);
      if (can('approve')) setProgress((await bridge.call('training.progress', {})).runs);
    } catch (error) {
      setFailure(errorText(error, locale));
    }
  }, [bridge, can, locale]);
  useEffect(() => void refresh(), [refresh]);

  const act = (run: () => Promise<unknown>) =>
    void run()
      .then(refresh)
      .catch((error: unknown) => setFailure(errorText(error, locale)));

  return (
    <div data-testid="training-view">
      <Typography.Title level={4}>{t('training.title')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('training.intro')}</Typography.Paragraph>
      {failure && <Alert type="error" showIcon title={failure} />}
      <Space direction="vertical" style={{ width: '100%' }}>
        {listed?.map((exercise) => (
          <Card
            key={exercise.id}
            size="small"
            data-testid={`exercise-${exercise.id}`}
            title={
              <Space>
                {exercise.title[locale]}
                {exercise.latest?.passed === true && (
                  <Tag color={tagColour.green} data-testid="exercise-passed">
                    {t('training.passed')}
                  </Tag>
                )}
              </Space>
            }
            extra={
              <Space>
                <Button
                  size="small"
                  onClick={() =>
                    act(() =>
                      bridge.call('training.start', { exercise: exercise.id as ExerciseId }),
                    )
                  }
                  data-testid={`exercise-start-${exercise.id}`}
                >
                  {exercise.latest ? t('training.again') : t('training.start')}
                </Button>
                {exercise.latest && (
                  <Button
                    size="small"
                    type="primary"
                    onClick={() =>
                      act(() => bridge.call('training.check', { runId: exercise.latest!.runId }))
                    }
                    data-testid={`exercise-check-${exercise.id}`}
                  >
                    {t('training.check')}
                  </Button>
                )}
              </Space>
            }
          >
            {exercise.latest && (
              <>
                <Typography.Paragraph data-testid="exercise-task">
                  {exercise.latest.task[locale]}
                </Typography.Paragraph>
                {exercise.latest.findings.length > 0 && (
                  <List
                    size="small"
                    data-testid="exercise-findings"
                    dataSource={exercise.latest.findings}
                    renderItem={(finding) => (
                      <List.Item>
                        <Tag color={finding.ok ? tagColour.green : tagColour.red}>
                          {finding.ok ? t('training.right') : t('training.improve')}
                        </Tag>
                        {finding.text[locale]}
                      </List.Item>
                    )}
                  />
                )}
              </>
            )}
          </Card>
        ))}
      </Space>
      {progress && (
        <>
          <Typography.Title level={5} style={{ marginTop: 24 }}>
            {t('training.progress')}
          </Typography.Title>
          <Table
            size="small"
            data-testid="training-progress"
            rowKey={(run) => `${run.user}-${run.exercise}-${run.startedAt}`}
            dataSource={progress}
            pagination={false}
            columns={[
              { title: t('training.who'), dataIndex: 'user' },
              {
                title: t('training.exercise'),
                render: (_, run) =>
                  listed?.find((exercise) => exercise.id === run.exercise)?.title[locale] ??
                  run.exercise,
              },
              { title: t('training.started'), dataIndex: 'startedAt' },
              {
                title: t('training.result'),
                render: (_, run) =>
                  run.passed ? (
                    <Tag color={tagColour.green}>{t('training.passed')}</Tag>
                  ) : run.passed === false ? (
                    <Tag color={tagColour.orange}>{t('training.notYet')}</Tag>
                  ) : (
                    t('training.unchecked')
                  ),
              },
            ]}
          />
        </>
      )}
    </div>
  );
}
