import {
  GENERIC_MESSAGES,
  defineMessages,
  from,
  translate,
  type Language,
} from '@conecta/service-kit';
import type { GraphQLFormattedError } from 'graphql';

/**
 * The Spanish of the gateway's own errors (issue 14), by `extensions.reason`
 * when the error has one, else by `extensions.code`. English is the message
 * as written where the error is thrown. A subgraph's errors are not here:
 * each subgraph answers in the language the gateway forwards to it.
 *
 * graphql-js's own parse and validation messages (a misspelt field, a missing
 * variable) stay English: they describe the query text to its developer and
 * graphql-js has no other language. GraphQL Armor's limits are translated.
 */
export const GATEWAY_MESSAGES = defineMessages({
  RATE_LIMITED: from(
    'Rate limit exceeded: try again in {seconds} s',
    'Se superó el límite de solicitudes: reintente en {seconds} s',
  ),
  // The subgraph calls (SUBGRAPH_UNAVAILABLE).
  TIMEOUT: from(
    'The {service} service did not answer within {ms} ms',
    'El servicio {service} no respondió en {ms} ms',
  ),
  UNREACHABLE: from(
    'The {service} service is unavailable',
    'El servicio {service} no está disponible',
  ),
  // Authentication (auth.ts).
  UNAUTHENTICATED: [
    from('Invalid token', 'Token no válido'),
    from(
      'Token lacks a subject or valid roles',
      'El token no trae un sujeto o roles válidos',
    ),
    from(
      'Send either a bearer token or an API key, not both',
      'Envíe un token bearer o una clave de API, no ambos',
    ),
    from(
      'Authorization must be "Bearer <token>"',
      'Authorization debe ser "Bearer <token>"',
    ),
  ],
  TOKEN_LIFETIME_TOO_LONG: from(
    'Token lifetime exceeds the maximum of {seconds} s: ask the identity provider for a shorter-lived token',
    'La vigencia del token supera el máximo de {seconds} s: pida al proveedor de identidad un token de vida más corta',
  ),
  TOKEN_EXPIRED: 'El token expiró',
  TOKEN_EXP_MISSING:
    'El token no tiene expiración (exp): los tokens deben expirar',
  API_KEYS_DISABLED: 'Las claves de API no están habilitadas en este gateway',
  API_KEY_INVALID: 'Clave de API desconocida o revocada',
  // Protection (protection.ts, idempotency.ts).
  OPERATION_NOT_REGISTERED:
    'Este cliente solo puede ejecutar operaciones registradas; esta no lo está',
  INVALID_IDEMPOTENCY_KEY: from(
    '{header} must be 1 to 255 visible ASCII characters, without spaces (a UUID is recommended)',
    '{header} debe tener de 1 a 255 caracteres ASCII visibles, sin espacios (se recomienda un UUID)',
  ),
  // GraphQL Armor's limits and graphql-js's token limit.
  GRAPHQL_VALIDATION_FAILED: [
    from(
      'Syntax Error: Query depth limit of {limit} exceeded, found {found}.',
      'Error de sintaxis: se superó el límite de profundidad de {limit}; la consulta tiene {found}.',
    ),
    from(
      'Syntax Error: Aliases limit of {limit} exceeded, found {found}.',
      'Error de sintaxis: se superó el límite de {limit} alias; la consulta tiene {found}.',
    ),
    from(
      'Syntax Error: Directives limit of {limit} exceeded, found {found}.',
      'Error de sintaxis: se superó el límite de {limit} directivas; la consulta tiene {found}.',
    ),
    from(
      'Syntax Error: Query Cost limit of {limit} exceeded, found {found}.',
      'Error de sintaxis: se superó el límite de costo de {limit}; la consulta cuesta {found}.',
    ),
  ],
  GRAPHQL_PARSE_FAILED: from(
    'Syntax Error: Document contains more than {limit} tokens. Parsing aborted.',
    'Error de sintaxis: el documento tiene más de {limit} tokens. Se dejó de analizar.',
  ),
  PERSISTED_QUERY_NOT_FOUND: 'No se encontró la consulta persistida',
  // The HTTP pipeline.
  BODY_TOO_LARGE: 'El cuerpo de la solicitud es demasiado grande',
  BAD_REQUEST: from(
    'Malformed request body',
    'El cuerpo de la solicitud está mal formado',
  ),
  INTERNAL: GENERIC_MESSAGES.INTERNAL,
});

/**
 * A message of the gateway's in `language`: the English one unchanged, or its
 * Spanish from {@link GATEWAY_MESSAGES} (by reason, then code); a message no
 * entry reads (graphql-js's own) stays as it is.
 */
export function gatewayMessage(
  message: string,
  extensions: Readonly<Record<string, unknown>> | undefined,
  language: Language,
): string {
  if (language === 'en') return message;
  const reason = extensions?.['reason'];
  const code = extensions?.['code'];
  for (const key of [reason, code]) {
    if (typeof key !== 'string') continue;
    const spanish = translate(GATEWAY_MESSAGES, {
      code: key,
      english: message,
    });
    if (spanish !== undefined) return spanish;
  }
  return message;
}

/**
 * One error as the gateway answers it in `language`: a subgraph's (it carries
 * `serviceName`) is already in that language and stays as it came.
 */
export function localizeGatewayError(
  error: GraphQLFormattedError,
  language: Language,
): GraphQLFormattedError {
  if (typeof error.extensions?.['serviceName'] === 'string') return error;
  const message = gatewayMessage(error.message, error.extensions, language);
  return message === error.message ? error : { ...error, message };
}
