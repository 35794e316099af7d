// A date typed as YYYY-MM-DD or picked from antd's calendar. The typed text is the value, so a
// day that does not exist (2020-13-45) stays on screen with a sentence saying so, instead of the
// picker quietly dropping it on blur; only a real calendar day counts as a date.
import { DatePicker } from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { parseIsoDate } from '../../../../shared/validation';

export const DATE_FORMAT = 'YYYY-MM-DD';

/** What is wrong with typed date text, in words; undefined when it is a real day or empty. */
export function dateTextProblem(
  text: string,
  t: (key: string, options?: Record<string, string>) => string,
  finished: boolean,
): string | undefined {
  const trimmed = text.trim();
  if (trimmed === '' || parseIsoDate(trimmed)) return undefined;
  // While typing, a prefix of a possible date is not yet wrong; a full-length text, or one the
  // teller has left, is.
  if (trimmed.length < DATE_FORMAT.length && !finished) return undefined;
  return /^\d{4}-\d{2}-\d{2}$/u.test(trimmed)
    ? t('forms.date.notADate', { text: trimmed })
    : t('forms.date.incomplete');
}

export function DateField({
  id,
  value,
  onChange,
  onBlur,
  disabledAfterToday = false,
}: {
  id: string;
  /** The text as typed or picked; a real day when parseIsoDate accepts it. */
  value: string;
  onChange: (text: string) => void;
  onBlur?: () => void;
  /** For a birth or issue date: the calendar offers no day after today. */
  disabledAfterToday?: boolean;
}) {
  const { t } = useTranslation();
  const day = parseIsoDate(value) ? dayjs(value, DATE_FORMAT) : null;
  return (
    // The picker reports only whole valid dates; the text as typed comes from the input itself.
    <span
      onInput={(event) => onChange((event.target as HTMLInputElement).value)}
      onBlur={onBlur}
      style={{ display: 'block' }}
    >
      <DatePicker
        id={id}
        value={day}
        format={DATE_FORMAT}
        placeholder={t('forms.date.placeholder')}
        preserveInvalidOnBlur
        allowClear
        style={{ width: '100%' }}
        disabledDate={
          disabledAfterToday ? (candidate) => candidate.isAfter(dayjs(), 'day') : undefined
        }
        onChange={(picked) => onChange(picked ? picked.format(DATE_FORMAT) : '')}
      />
    </span>
  );
}
