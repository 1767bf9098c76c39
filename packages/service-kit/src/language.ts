import Negotiator from 'negotiator';
import { CONTENT_LANGUAGE, DEFAULT_LANGUAGE, LANGUAGES } from './errors';
import type { Language } from './errors';

/** The request header a caller states its languages in (RFC 9110 §12.5.4). */
export const ACCEPT_LANGUAGE_HEADER = 'accept-language';
/** The response header naming the language of the answer. */
export const CONTENT_LANGUAGE_HEADER = 'content-language';

/**
 * The language to answer in, from an `Accept-Language` header: the supported
 * language (`es`, `en`) the caller prefers, by q-value, a regional tag
 * matching its language (`es-MX` → `es`, `en-US` → `en`). No header, an
 * empty one, `*` or only unsupported languages answer {@link DEFAULT_LANGUAGE}
 * (Spanish); so does `*` ranked first.
 *
 * Negotiation is negotiator's (jshttp), the same express uses.
 */
export function negotiateLanguage(
  acceptLanguage: string | readonly string[] | undefined,
): Language {
  const header = Array.isArray(acceptLanguage)
    ? acceptLanguage.join(',')
    : (acceptLanguage as string | undefined);
  if (!header?.trim()) return DEFAULT_LANGUAGE;
  const [preferred] = new Negotiator({
    headers: { [ACCEPT_LANGUAGE_HEADER]: header },
  }).languages([...LANGUAGES]);
  return (preferred as Language | undefined) ?? DEFAULT_LANGUAGE;
}

/** The `Content-Language` value of an answer in `language`. */
export function contentLanguage(language: Language): string {
  return CONTENT_LANGUAGE[language];
}
