/**
 * Error messages in the API's languages (issue 14): Spanish first, English too.
 *
 * PURE, like the rest of `./errors`: a service's `domain/messages.ts` builds
 * its catalogue with {@link defineMessages} and {@link from}; the API boundary
 * (`formatError`) asks {@link localizeError} for the caller's language.
 *
 * English is the language errors are written in at their throw sites (the
 * `message` of a DomainError), so it is never translated: an English answer is
 * the thrown message, unchanged. A Spanish answer comes from the service's
 * catalogue, keyed by the stable reason code (`extensions.reason`). The values
 * a message names (an id, a status, a limit) are read back from the English
 * message by the catalogue entry's English template, so throw sites stay as
 * they are: `from('Committee {id} is {status}', 'El comité {id} está {status}')`.
 */

/** A field problem as this module reads it (`FieldProblem` in `./index`). */
export interface LocalizableProblem {
  field: string;
  message: string;
  /** The problem's own reason, when it differs from the error's (zod issues). */
  reason?: string | undefined;
  /** Messages already known in other languages (zod's own Spanish). */
  localized?: Partial<Record<Language, string>> | undefined;
}

/** A DomainError as this module reads it (no import of `./index`: no cycle). */
export interface LocalizableError {
  kind:
    | 'BAD_USER_INPUT'
    | 'NOT_FOUND'
    | 'CONFLICT'
    | 'FORBIDDEN'
    | 'UNAUTHENTICATED';
  code: string;
  message: string;
  field: string | undefined;
  details: Readonly<Record<string, unknown>> | undefined;
}

/** The languages the API answers in. */
export type Language = 'es' | 'en';

/** Every {@link Language}, the default first. */
export const LANGUAGES: readonly Language[] = ['es', 'en'];

/**
 * The language of an answer whose caller states none or only languages the
 * API does not speak: Spanish, the language of the system's users.
 */
export const DEFAULT_LANGUAGE: Language = 'es';

/** `Content-Language` of an answer in each language (BCP 47). */
export const CONTENT_LANGUAGE: Readonly<Record<Language, string>> = {
  es: 'es-MX',
  en: 'en',
};

/** What a catalogue entry may read from the error it translates. */
export interface MessageFacts {
  /** The stable reason code. */
  code: string;
  /** The English message being translated (the error's, or one field's). */
  english: string;
  /** The field the message is about, when there is one. */
  field?: string | undefined;
  /** The error's extra facts (`extensions`), when it has any. */
  details?: Readonly<Record<string, unknown>> | undefined;
}

/**
 * A message read from its English form: `match` returns the Spanish message
 * when `english` is the English one it knows, with its values filled in.
 */
export interface Translation {
  readonly english: string;
  match(english: string): string | undefined;
}

/**
 * One reason code's Spanish message:
 * - a string, when the English message names no value;
 * - a {@link from} pair (or several, first match wins) when it does;
 * - a function of the error's facts, for anything else (undefined: no match).
 */
export type MessageEntry =
  | string
  | Translation
  | readonly Translation[]
  | ((facts: MessageFacts) => string | undefined);

/**
 * A service's catalogue: reason code → Spanish message. A key ending in `*`
 * is a family (`STANDARD_NOT_*` covers `STANDARD_NOT_DRAFT`, …); an exact key
 * wins over a family.
 */
export type MessageCatalogue = Readonly<Record<string, MessageEntry>>;

/** Declares a catalogue (identity, for the type). */
export function defineMessages<C extends MessageCatalogue>(catalogue: C): C {
  return catalogue;
}

const PLACEHOLDER = /\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/**
 * A Spanish message with the values of its English one. Both templates name
 * the values in braces (`{id}`); each value of the English message is
 * matched lazily up to the next literal text, so templates should put some
 * text between two placeholders. A Spanish template may leave values out, but
 * not name one the English lacks.
 *
 * @example from('Sector code {code} already exists', 'La clave de sector {code} ya existe')
 */
export function from(english: string, spanish: string): Translation {
  const names: string[] = [];
  let source = '^';
  let last = 0;
  for (const match of english.matchAll(PLACEHOLDER)) {
    source += escapeRegExp(english.slice(last, match.index));
    source += '([\\s\\S]*?)';
    names.push(match[1]!);
    last = match.index + match[0].length;
  }
  source += `${escapeRegExp(english.slice(last))}$`;
  const pattern = new RegExp(source);
  for (const used of spanish.matchAll(PLACEHOLDER)) {
    if (!names.includes(used[1]!)) {
      throw new Error(
        `from(): the Spanish message names {${used[1]}}, which its English one ("${english}") does not`,
      );
    }
  }
  return {
    english,
    match(text) {
      const found = pattern.exec(text);
      if (!found) return undefined;
      const values = new Map(names.map((name, i) => [name, found[i + 1]!]));
      return spanish.replace(PLACEHOLDER, (_, name: string) =>
        values.get(name)!,
      );
    },
  };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The messages of service-kit's own codes and of every service's shared ones:
 * generic validation, not found, forbidden, unauthenticated and internal.
 * A service's catalogue is consulted first.
 */
export const GENERIC_MESSAGES = defineMessages({
  // What every service's schemas say of a field (their own catalogue's
  // INVALID_INPUT is read first); a message none reads gets zod's Spanish
  // for the same check, or the kind's sentence with the English.
  INVALID_INPUT: [
    from('must not be empty', 'no debe estar vacío'),
    from('is required', 'es obligatorio'),
    from('must not be negative', 'no debe ser negativo'),
    from('must be 0 or more', 'debe ser 0 o más'),
    from('must be a whole number', 'debe ser un número entero'),
    from(
      'must be a whole number of milliseconds',
      'debe ser un número entero de milisegundos',
    ),
    from('must be a whole number of days', 'debe ser un número entero de días'),
    from(
      'must be a whole number of months',
      'debe ser un número entero de meses',
    ),
    from(
      'must have at least {n} characters',
      'debe tener al menos {n} caracteres',
    ),
    from(
      'must have at most {n} characters',
      'debe tener como máximo {n} caracteres',
    ),
    from(
      'must be at most {n} characters',
      'debe tener como máximo {n} caracteres',
    ),
    from('must be at most {n} centavos', 'debe ser como máximo {n} centavos'),
    from('must be between {a} and {b}', 'debe estar entre {a} y {b}'),
    from('must be {a} to {b}', 'debe ser de {a} a {b}'),
    from('must be at least {n}', 'debe ser al menos {n}'),
    from('must be at most {n}', 'debe ser como máximo {n}'),
    from('{field} must be a UUID', '{field} debe ser un UUID'),
    // @conecta/mexico's schemas, which several services use.
    from(
      'is not a valid RFC (12 or 13 characters with a valid date and verification digit)',
      'no es un RFC válido (12 o 13 caracteres con una fecha y un dígito verificador válidos)',
    ),
    from(
      "is a generic RFC shared by many taxpayers; give the organization's own RFC",
      'es un RFC genérico que comparten muchos contribuyentes; indique el RFC propio de la organización',
    ),
    from(
      'must be an ISO 3166-2:MX state code such as MX-JAL',
      'debe ser una clave de estado ISO 3166-2:MX como MX-JAL',
    ),
  ],
  INVALID_CURP:
    'no es una CURP válida (18 caracteres: iniciales, fecha de nacimiento, sexo, estado, consonantes, dígito verificador)',
  INVALID_CURSOR: 'no es un cursor devuelto por esta API',
  FORBIDDEN: [
    from(
      'Requires one of the roles: {roles}',
      'Requiere uno de estos roles: {roles}',
    ),
    from('{any}', 'No tiene permiso para hacer esto'),
  ],
  UNAUTHENTICATED: [
    from('Sign in to do this', 'Inicie sesión para hacer esto'),
    from('{any}', 'Inicie sesión para hacer esto'),
  ],
  IDENTITY_MISSING:
    'Falta la identidad: las solicitudes deben llegar por la puerta de enlace (gateway)',
  IDENTITY_INVALID: [
    from('Incomplete identity headers', 'Encabezados de identidad incompletos'),
    from('Invalid identity signature', 'Firma de identidad no válida'),
    from('Malformed identity', 'Identidad mal formada'),
    from(
      'Identity lifetime is over {ms} ms or it was issued in the future',
      'La vigencia de la identidad supera {ms} ms o se emitió en el futuro',
    ),
  ],
  IDENTITY_WRONG_AUDIENCE: from(
    'Identity was signed for the {aud} service, not {audience}',
    'La identidad se firmó para el servicio {aud}, no para {audience}',
  ),
  IDENTITY_BODY_MISMATCH: 'La identidad se firmó para otro cuerpo de solicitud',
  IDENTITY_EXPIRED: 'La identidad expiró',
  INVALID_IDEMPOTENCY_KEY:
    'debe tener de 1 a 255 caracteres ASCII visibles (se recomienda un UUID)',
  IDEMPOTENCY_KEY_REUSED:
    'Esta Idempotency-Key se usó para otra solicitud: envíe una clave nueva para una solicitud nueva',
  IDEMPOTENT_REQUEST_IN_PROGRESS:
    'Una solicitud con esta Idempotency-Key sigue en curso: reintente en unos segundos para obtener su respuesta',
  INTERNAL: 'Error interno del servidor',
});

/** A sentence for each kind, when a reason has no Spanish message (a bug the completeness tests catch). */
const KIND_MESSAGES: Readonly<Record<LocalizableError['kind'], string>> = {
  BAD_USER_INPUT: 'Dato no válido',
  NOT_FOUND: 'No existe',
  CONFLICT: 'La solicitud choca con el estado actual',
  FORBIDDEN: 'No tiene permiso para hacer esto',
  UNAUTHENTICATED: 'Inicie sesión para hacer esto',
};

/** The entry for a code: exact first, then the longest matching family. */
export function entryFor(
  catalogue: MessageCatalogue,
  code: string,
): MessageEntry | undefined {
  const exact = catalogue[code];
  if (exact !== undefined) return exact;
  let best: { length: number; entry: MessageEntry } | undefined;
  for (const [key, entry] of Object.entries(catalogue)) {
    if (!key.includes('*')) continue;
    const [prefix = '', suffix = ''] = key.split('*');
    if (
      code.length >= prefix.length + suffix.length &&
      code.startsWith(prefix) &&
      code.endsWith(suffix) &&
      (!best || prefix.length + suffix.length > best.length)
    ) {
      best = { length: prefix.length + suffix.length, entry };
    }
  }
  return best?.entry;
}

/** Whether the catalogue has a message for `code` (exactly or by family). */
export function hasMessage(catalogue: MessageCatalogue, code: string): boolean {
  return entryFor(catalogue, code) !== undefined;
}

/** The Spanish of one English message under `code`, or undefined when no entry reads it. */
export function translate(
  catalogue: MessageCatalogue,
  facts: MessageFacts,
  { patternsOnly = false }: { patternsOnly?: boolean } = {},
): string | undefined {
  const entry = entryFor(catalogue, facts.code);
  if (entry === undefined) return undefined;
  // A plain string or a function answers whatever the English says: not for
  // a message only borrowing the code (patternsOnly), which `from()`
  // patterns read only when its English is theirs.
  if (typeof entry === 'string') return patternsOnly ? undefined : entry;
  if (typeof entry === 'function')
    return patternsOnly ? undefined : entry(facts);
  const translations: readonly Translation[] = isTranslation(entry)
    ? [entry]
    : (entry as readonly Translation[]);
  for (const translation of translations) {
    const text = translation.match(facts.english);
    if (text !== undefined) return text;
  }
  return undefined;
}

function isTranslation(entry: MessageEntry): entry is Translation {
  return typeof entry === 'object' && 'match' in entry;
}

/** An error's message and field problems in one language. */
export interface LocalizedError {
  message: string;
  fields?: Array<{ field: string; message: string }>;
}

/**
 * The message (and, for bad input, each field's message) of `error` in
 * `language`. English is the thrown message. Spanish: the service's
 * catalogue, then {@link GENERIC_MESSAGES}, then — for a field problem zod
 * found — zod's own Spanish message; a message nothing reads becomes the
 * kind's Spanish sentence followed by the English one in parentheses, so no
 * detail is lost.
 */
export function localizeError(
  error: LocalizableError,
  language: Language,
  catalogue: MessageCatalogue = {},
): LocalizedError {
  const fields = (error as { fields?: readonly LocalizableProblem[] }).fields;
  if (language === 'en') {
    return {
      message: error.message,
      ...(fields ? { fields: fields.map(publicProblem) } : {}),
    };
  }
  const spanish = (
    english: string,
    code: string,
    field?: string,
    options?: { patternsOnly?: boolean },
  ) =>
    translate(
      catalogue,
      { code, english, field, details: error.details },
      options,
    ) ??
    translate(
      GENERIC_MESSAGES,
      { code, english, field, details: error.details },
      options,
    );
  const fallback = (english: string) =>
    `${KIND_MESSAGES[error.kind]} (${english})`;

  if (!fields) {
    return {
      message:
        spanish(error.message, error.code, error.field) ??
        notFoundMessage(error) ??
        fallback(error.message),
    };
  }
  // A field's message is read under its own reason — or the error's when it
  // is the only field; among several, a field without a reason of its own
  // reads the error's only through patterns that match its English (else a
  // plain entry of the first field's reason, INVALID_CURP, would answer for a
  // bad email beside it) — then as a plain validation message.
  const translated = fields.map((problem) => ({
    field: problem.field,
    message:
      spanish(problem.message, problem.reason ?? error.code, problem.field, {
        patternsOnly: problem.reason === undefined && fields.length > 1,
      }) ??
      spanish(problem.message, 'INVALID_INPUT', problem.field) ??
      problem.localized?.es ??
      fallback(problem.message),
  }));
  const composedInEnglish = composeMessage(fields);
  const message =
    error.message === composedInEnglish
      ? composeMessage(translated)
      : (spanish(error.message, error.code, error.field) ??
        fallback(error.message));
  return { message, fields: translated };
}

/**
 * One message for several field problems: the message itself when there is
 * one, else `field: message` joined by `; ` (what `fromProblems` writes).
 */
export function composeMessage(
  problems: readonly { field: string; message: string }[],
): string {
  return problems.length === 1
    ? problems[0]!.message
    : problems.map((p) => `${p.field}: ${p.message}`).join('; ');
}

function publicProblem({ field, message }: LocalizableProblem): {
  field: string;
  message: string;
} {
  return { field, message };
}

// A NotFoundError no catalogue names: its entity (a GraphQL type name) and id.
function notFoundMessage(error: LocalizableError): string | undefined {
  const { entity, id } = error as { entity?: unknown; id?: unknown };
  return error.kind === 'NOT_FOUND' && typeof entity === 'string'
    ? `No existe ${entity} ${String(id)}`
    : undefined;
}
