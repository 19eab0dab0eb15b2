/**
 * Legal sources as people read them: the stored codes name the regulation "GDPR" (English, as the CLI and API
 * show them); Dutch pages call it the AVG. Article numbers and other laws (Tw, BW) stay as they are.
 * @example legalSource('nl', 'Tw 11.7(1); GDPR 6(1)(a)') // 'Tw 11.7(1); AVG 6(1)(a)'
 */
import type { Language } from '../core/vocab.js';

export const legalSource = (lang: Language, source: string): string => (lang === 'nl' ? source.replace(/\bGDPR\b/g, 'AVG') : source);
