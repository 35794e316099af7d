// The coloured tags of UI.md: colour only where it means something. antd's preset tags put
// green and orange text on a pale ground below WCAG AA contrast (about 3.2:1), so meaning
// colours are the presets' deep shades (green-8, orange-8, red-8, blue-7) with white text,
// each at least 5.9:1.
import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';

export const tagColour = {
  green: '#237804',
  orange: '#ad4e00',
  red: '#a8071a',
  blue: '#0958d9',
} as const;

const riskColour = { low: tagColour.green, medium: tagColour.orange, high: tagColour.red } as const;

export function RiskTag({ rating }: { rating: 'low' | 'medium' | 'high' }) {
  const { t } = useTranslation();
  return (
    <Tag color={riskColour[rating]}>
      {t('customer360.labelled', { label: t('customer.risk'), value: t(`riskRating.${rating}`) })}
    </Tag>
  );
}

export function SegmentTag({ segment }: { segment: 'mass' | 'affluent' | 'private_banking' }) {
  const { t } = useTranslation();
  return <Tag>{t(`segment.${segment}`)}</Tag>;
}
