// 客户查询: the results of the one search box, keyboard first (↑/↓ move, Enter opens).
import { Badge, Empty, List, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { formatPhone } from '../format';
import { useDesk } from '../store';
import { RiskTag, SegmentTag } from './tags';

export function SearchResults({ onOpen }: { onOpen: (id: string) => void }) {
  const { t } = useTranslation();
  const results = useDesk((state) => state.results);
  const selected = useDesk((state) => state.selected);
  const query = useDesk((state) => state.query);
  if (!query.trim() || !results)
    return <Empty description={t('search.empty')} data-testid="search-empty" />;
  if (results.items.length === 0)
    return <Empty description={t('search.none')} data-testid="search-none" />;
  return (
    <div>
      <Typography.Text type="secondary" data-testid="search-count">
        {results.truncated
          ? t('search.truncated', { count: results.items.length })
          : t('search.results', { count: results.items.length })}
      </Typography.Text>
      <List
        data-testid="search-results"
        dataSource={results.items}
        renderItem={(item, index) => (
          <List.Item
            key={item.id}
            data-testid="search-result"
            aria-current={index === selected ? 'true' : undefined}
            className={index === selected ? 'result selected' : 'result'}
            onClick={() => onOpen(item.id)}
          >
            <List.Item.Meta
              title={
                <Space>
                  <span data-testid="result-name">{item.displayName}</span>
                  <Typography.Text type="secondary">{item.customerNumber}</Typography.Text>
                  {item.hasPendingChanges && (
                    <Badge status="processing" text={t('search.pendingBadge')} />
                  )}
                </Space>
              }
              description={
                <Space wrap>
                  {item.identityDocumentNumber && <span>{item.identityDocumentNumber}</span>}
                  {item.primaryPhone && <span>{formatPhone(item.primaryPhone)}</span>}
                  <SegmentTag segment={item.segment} />
                  <RiskTag rating={item.riskRating} />
                  <Tag>
                    {t('search.matched', { field: t(`matchedField.${item.matchedField}`) })}
                  </Tag>
                </Space>
              }
            />
          </List.Item>
        )}
      />
    </div>
  );
}
