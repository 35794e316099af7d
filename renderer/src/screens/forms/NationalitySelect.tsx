// 国籍: a searchable list of countries and regions named in the desk's language, found by a
// name in either language or by the code; the value kept is the ISO 3166-1 alpha-3 code.
import { Select } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useDesk } from '../../store';
import { type CountryOption, countryOptions } from './countries';

export function NationalitySelect({
  id,
  value,
  onChange,
}: {
  id: string;
  value: string;
  onChange: (alpha3: string) => void;
}) {
  const { t } = useTranslation();
  const locale = useDesk((state) => state.locale);
  const options = useMemo(() => countryOptions(locale), [locale]);
  return (
    <Select<string, CountryOption>
      id={id}
      showSearch={{
        filterOption: (typed, option) =>
          option?.search.includes(typed.trim().toLowerCase()) ?? false,
      }}
      value={value || undefined}
      onChange={onChange}
      options={options}
      placeholder={t('forms.nationality.placeholder')}
      notFoundContent={t('forms.nationality.notFound')}
      data-testid="nationality-select"
      style={{ width: '100%' }}
    />
  );
}
