/**
 * Translations through i18next: each layer (web pages, mail) keeps its own namespace of Dutch and English
 * texts and gets a `Translate` function. Texts use i18next interpolation: `{{name}}` is escaped for HTML by
 * default, which suits pages; mail text is rendered with escaping off.
 */
import i18next, { type TFunction } from 'i18next';
import type { Language } from './core/vocab.js';

export type Texts = Record<string, string>;
export type Translate = (lang: Language, key: string, vars?: Record<string, unknown>) => string;

/**
 * Builds a translator for one namespace.
 * @param resources the texts per language; English must hold every key that Dutch holds
 * @param escape whether interpolated values are HTML-escaped (true for pages, false for plain-text mail)
 * @example const t = translator({ nl: { hi: 'Hallo {{name}}' }, en: { hi: 'Hello {{name}}' } }); t('nl', 'hi', { name: 'Jan' })
 */
export function translator(resources: Record<Language, Texts>, escape = true): Translate {
  const instance = i18next.createInstance();
  void instance.init({
    resources: { nl: { translation: resources.nl }, en: { translation: resources.en } },
    lng: 'nl',
    fallbackLng: 'en',
    initAsync: false,
    interpolation: { escapeValue: escape },
    returnNull: false,
  });
  const fixed: Record<Language, TFunction> = { nl: instance.getFixedT('nl'), en: instance.getFixedT('en') };
  return (lang, key, vars) => fixed[lang](key, vars ?? {}) as string;
}
