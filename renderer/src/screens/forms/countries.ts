// Country and region names in the desk's two languages, keyed by ISO 3166-1 alpha-3 (the code a
// passport's machine-readable zone carries and the customer record stores). Only the zh and en
// name lists are loaded, so the bundle carries two languages, not eighty.
import countries from 'i18n-iso-countries';
import en from 'i18n-iso-countries/langs/en.json';
import zh from 'i18n-iso-countries/langs/zh.json';
import type { Locale } from '../../i18n';

countries.registerLocale(en);
countries.registerLocale(zh);

// Chinese official usage for the special administrative regions and Taiwan, as on PBOC forms.
const zhNames: Record<string, string> = {
  HKG: '中国香港',
  MAC: '中国澳门',
  TWN: '中国台湾',
};

export interface CountryOption {
  value: string;
  label: string;
  /** Both languages' names and the code, so a search in either language finds it. */
  search: string;
}

function namesOf(alpha3: string): { zh: string; en: string } {
  const alpha2 = countries.alpha3ToAlpha2(alpha3) ?? '';
  return {
    zh: zhNames[alpha3] ?? countries.getName(alpha2, 'zh') ?? alpha3,
    en: countries.getName(alpha2, 'en', { select: 'official' }) ?? alpha3,
  };
}

const cache = new Map<Locale, CountryOption[]>();

/** Every country and region, China first, then by name in the desk's language. */
export function countryOptions(locale: Locale): CountryOption[] {
  const known = cache.get(locale);
  if (known) return known;
  const collator = new Intl.Collator(locale === 'en' ? 'en' : 'zh-CN');
  const options = Object.keys(countries.getAlpha3Codes())
    .map((alpha3) => {
      const names = namesOf(alpha3);
      const aliases = countries.getName(countries.alpha3ToAlpha2(alpha3) ?? '', 'en', {
        select: 'all',
      });
      return {
        value: alpha3,
        label: locale === 'en' ? names.en : names.zh,
        search: [names.zh, names.en, ...(aliases ?? []), alpha3].join(' ').toLowerCase(),
      };
    })
    .sort((a, b) =>
      a.value === 'CHN' ? -1 : b.value === 'CHN' ? 1 : collator.compare(a.label, b.label),
    );
  cache.set(locale, options);
  return options;
}

/** The name of a stored code in the desk's language; the code itself when it is not known. */
export function countryName(alpha3: string, locale: Locale): string {
  return countries.isValid(alpha3) ? namesOf(alpha3)[locale === 'en' ? 'en' : 'zh'] : alpha3;
}
