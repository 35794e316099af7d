// 培训模式: a training profile's every screen, and anything printed from it, carries the
// watermark 培训 / TRAINING across the page and a banner that says its customers are synthetic,
// so a screenshot or a printout of it can never pass for production. It covers dialogs too and
// takes no clicks.
import { useTranslation } from 'react-i18next';

export function TrainingWatermark() {
  const { t } = useTranslation();
  return (
    <>
      <div className="training-watermark" aria-hidden="true" data-testid="training-watermark" />
      <div className="training-banner" role="status" data-testid="training-banner">
        {t('training.banner')}
      </div>
    </>
  );
}
