// 客户查询: the results of the one search box, keyboard first (↑/↓ move, Enter opens). The list
// is virtualised: only the rows in view (and a few either side) are in the page, however many
// results there are, and the next page is asked for as the teller scrolls towards the end.
import { Badge, Empty, Space, Tag, Typography } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatPhone } from '../format';
import { useDesk, type SearchOutput } from '../store';
import { RiskTag, SegmentTag } from './tags';

/** Every row is this tall (px), so the list knows where each one is without measuring it. */
export const ROW_HEIGHT = 64;
const OVERSCAN = 6;
/** Ask for the next page when the last rendered row is this close to the end. */
const PREFETCH_ROWS = 20;

export function SearchResults({
  onOpen,
  onMore,
  maxQuery,
}: {
  onOpen: (id: string) => void;
  /** Load the next page of results (when the last page was full). */
  onMore: () => void;
  /** The longest query the core takes; a longer one is not sent, and the list says why. */
  maxQuery: number;
}) {
  const { t } = useTranslation();
  const results = useDesk((state) => state.results);
  const selected = useDesk((state) => state.selected);
  const query = useDesk((state) => state.query);
  const viewport = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(600);
  const listShown = Boolean(query.trim() && results?.items.length);

  // The viewport's height decides how many rows are drawn; it exists while the list is shown.
  useEffect(() => {
    const element = viewport.current;
    if (!element) return;
    const observer = new ResizeObserver(() => setHeight(element.clientHeight));
    observer.observe(element);
    return () => observer.disconnect();
  }, [listShown]);

  // Keep the selected row in view as ↑/↓ move it.
  useEffect(() => {
    const element = viewport.current;
    if (!element) return;
    const top = selected * ROW_HEIGHT;
    if (top < element.scrollTop) element.scrollTop = top;
    else if (top + ROW_HEIGHT > element.scrollTop + element.clientHeight)
      element.scrollTop = top + ROW_HEIGHT - element.clientHeight;
  }, [selected]);

  // A new query starts at the top.
  useEffect(() => {
    if (viewport.current) viewport.current.scrollTop = 0;
    setScrollTop(0);
  }, [query]);

  const count = results?.items.length ?? 0;
  const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(count, Math.ceil((scrollTop + height) / ROW_HEIGHT) + OVERSCAN);
  useEffect(() => {
    if (results?.more && last >= count - PREFETCH_ROWS) onMore();
  }, [results, last, count, onMore]);

  const length = query.trim().length;
  if (length > maxQuery)
    return (
      <Empty
        description={t('roles.search.tooLong', { max: maxQuery, count: length })}
        data-testid="search-too-long"
      />
    );
  if (!query.trim() || !results)
    return <Empty description={t('search.empty')} data-testid="search-empty" />;
  if (count === 0)
    return (
      <Empty description={t('search.none')} data-testid="search-none" data-query={results.query} />
    );
  return (
    <div className="results">
      <Typography.Text type="secondary" data-testid="search-count">
        {results.truncated && !results.more
          ? t('search.truncated', { count })
          : results.more
            ? t('search.atLeast', { count })
            : t('search.results', { count })}
      </Typography.Text>
      <div
        ref={viewport}
        className="results-viewport"
        data-testid="search-results"
        data-query={results.query}
        role="listbox"
        // Focusable, so the list scrolls from the keyboard as well as from the search box.
        tabIndex={0}
        aria-label={t('search.listLabel')}
        aria-activedescendant={count ? `result-${selected}` : undefined}
        onScroll={(event) => setScrollTop(event.currentTarget.scrollTop)}
      >
        <div style={{ height: count * ROW_HEIGHT, position: 'relative' }}>
          {results.items.slice(first, last).map((item, offset) => {
            const index = first + offset;
            return (
              <ResultRow
                key={item.id}
                item={item}
                index={index}
                selected={index === selected}
                onOpen={onOpen}
              />
            );
          })}
        </div>
      </div>
    </div>
  );
}

function ResultRow({
  item,
  index,
  selected,
  onOpen,
}: {
  item: SearchOutput['items'][number];
  index: number;
  selected: boolean;
  onOpen: (id: string) => void;
}) {
  const { t } = useTranslation();
  return (
    <div
      id={`result-${index}`}
      role="option"
      aria-selected={selected}
      data-testid="search-result"
      className={selected ? 'result selected' : 'result'}
      style={{ top: index * ROW_HEIGHT, height: ROW_HEIGHT }}
      onClick={() => onOpen(item.id)}
    >
      <Space>
        <Typography.Text strong data-testid="result-name">
          {item.displayName}
        </Typography.Text>
        <Typography.Text type="secondary">{item.customerNumber}</Typography.Text>
        {(item.gender || item.age !== undefined) && (
          <Typography.Text data-testid="result-person">
            {[
              item.gender ? t(`gender.${item.gender}`) : undefined,
              item.age !== undefined ? t('roles.search.age', { age: item.age }) : undefined,
            ]
              .filter(Boolean)
              .join(' · ')}
          </Typography.Text>
        )}
        {item.hasPendingChanges && <Badge status="processing" text={t('search.pendingBadge')} />}
      </Space>
      <Space wrap={false} className="result-details">
        {item.identityDocumentNumber && <span>{item.identityDocumentNumber}</span>}
        {item.primaryPhone && <span>{formatPhone(item.primaryPhone)}</span>}
        <SegmentTag segment={item.segment} />
        <RiskTag rating={item.riskRating} />
        <Tag>{t('search.matched', { field: t(`matchedField.${item.matchedField}`) })}</Tag>
      </Space>
    </div>
  );
}
