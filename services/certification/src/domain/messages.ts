import {
  GENERIC_MESSAGES,
  defineMessages,
  from,
  translate,
  type Translation,
} from '@conecta/service-kit/errors';

/** `<Entity> <id> not found` (service-kit's NotFoundError), naming the entity in Spanish. */
const notFound = (entity: string, spanish: string) =>
  from(`${entity} {id} not found`, `No existe ${spanish} {id}`);

// The historical import's per-record problems (historical-import.ts), by
// reason. A refused batch lists them in `fields` without their own reasons,
// so each field is read under the first problem's reason and then as
// INVALID_INPUT: every one of them is in INVALID_INPUT too (below), and none
// is a plain string, which would answer for every field of the batch.
const ISSUED_NOT_IN_PAST = [
  from('must be before today', 'debe ser anterior a hoy'),
];
const EVALUATED_AFTER_ISSUE = [
  from(
    'must be on or before issuedOn ({date})',
    'debe ser igual o anterior a issuedOn ({date})',
  ),
];
const EVALUATION_TOO_OLD_IN_IMPORT = [
  from(
    'must be at most {months} months before issuedOn ({date})',
    'debe ser como máximo {months} meses anterior a issuedOn ({date})',
  ),
];
const UNKNOWN_STANDARD = [
  from(
    'is not a standard certification knows (published, withdrawn or superseded)',
    'no es una norma que certificación conozca (publicada, retirada o sustituida)',
  ),
];
const BEFORE_GAZETTE = [
  from(
    "must not be before the standard's gazette date ({date})",
    'no debe ser anterior a la fecha de publicación de la norma en el Diario Oficial ({date})',
  ),
];
const UNKNOWN_CERTIFYING_BODY = [
  from(
    'is not a registered certifying body',
    'no es un organismo certificador registrado',
  ),
];
const BODY_NOT_ACCREDITED = [
  from(
    'has never held an active accreditation to certify this standard',
    'nunca ha tenido una acreditación activa para certificar esta norma',
  ),
];
const SECOND_VALID_IN_IMPORT = [
  from(
    'would make a second certificate VALID today (until {date}) for the same person and standard',
    'haría que hoy hubiera un segundo certificado VALID (hasta el {date}) para la misma persona y norma',
  ),
];
const DUPLICATE_FOLIO = [
  from('repeats the folio of records[{i}]', 'repite el folio de records[{i}]'),
];
const CURP = [
  from(
    'is not a valid CURP (18 characters: initials, birth date, sex, state, consonants, check digit)',
    GENERIC_MESSAGES.INVALID_CURP,
  ),
];

/** Every per-record problem of an import, whatever its reason. */
const IMPORT_PROBLEMS: readonly Translation[] = [
  ...ISSUED_NOT_IN_PAST,
  ...EVALUATED_AFTER_ISSUE,
  ...EVALUATION_TOO_OLD_IN_IMPORT,
  ...UNKNOWN_STANDARD,
  ...BEFORE_GAZETTE,
  ...UNKNOWN_CERTIFYING_BODY,
  ...BODY_NOT_ACCREDITED,
  ...SECOND_VALID_IN_IMPORT,
  ...DUPLICATE_FOLIO,
];

/**
 * What the schemas say of a field, beside service-kit's generic phrases:
 * their own messages, and zod's defaults, which reach the API unread by
 * parseInput where the import validates its batch itself.
 */
const INPUT_PHRASES: readonly Translation[] = [
  // People (person.ts).
  from(
    'must be an email address',
    'debe ser una dirección de correo electrónico',
  ),
  from(
    'must be a phone number (8–20 digits)',
    'debe ser un número de teléfono (de 8 a 20 dígitos)',
  ),
  // Certifying bodies (certifying-body.ts).
  from(
    'must list at least one evaluation facility',
    'debe listar al menos una sede de evaluación',
  ),
  from('must list at most {n} facilities', 'debe listar como máximo {n} sedes'),
  from('must give at least one role', 'debe indicar al menos un rol'),
  from('must be whole centavos', 'debe ser un número entero de centavos'),
  // Accreditations and evaluation procedures.
  from('must give at least one scope', 'debe indicar al menos un alcance'),
  from('must be an absolute URL', 'debe ser una URL absoluta'),
  from('must be an https:// URL', 'debe ser una URL https://'),
  from(
    'must be a SHA-256 in 64 hexadecimal digits',
    'debe ser un SHA-256 de 64 dígitos hexadecimales',
  ),
  // The import's batch.
  from('must have at least 1 record', 'debe tener al menos 1 registro'),
  from('must have at most {n} records', 'debe tener como máximo {n} registros'),
  // Queries' arguments (Query.ts, verification-tally.ts).
  from(
    'give exactly one of certifyingBodyId, personId',
    'indique exactamente uno de certifyingBodyId o personId',
  ),
  from(
    'give certifyingBodyId, standardId or both',
    'indique certifyingBodyId, standardId o ambos',
  ),
  from('must not be after to', 'no debe ser posterior a to'),
  from(
    'the window must be at most {n} days',
    'el periodo debe abarcar como máximo {n} días',
  ),
  // zod's own English.
  from('Invalid UUID', 'no es un UUID válido'),
  from('Invalid ISO date', 'no es una fecha ISO válida (AAAA-MM-DD)'),
  from(
    'Invalid input: expected {expected}, received {received}',
    'dato no válido: se esperaba {expected}, se recibió {received}',
  ),
  from(
    'Invalid option: expected one of {options}',
    'opción no válida: se esperaba una de {options}',
  ),
  from(
    'Too small: expected string to have >={n} characters',
    'demasiado corto: debe tener al menos {n} caracteres',
  ),
  from(
    'Too big: expected string to have <={n} characters',
    'demasiado largo: debe tener como máximo {n} caracteres',
  ),
];

/** The Spanish of one field problem, whatever its reason; undefined when nothing reads it. */
function inputProblem(english: string): string | undefined {
  for (const translation of [...IMPORT_PROBLEMS, ...CURP, ...INPUT_PHRASES]) {
    const spanish = translation.match(english);
    if (spanish !== undefined) return spanish;
  }
  return translate(GENERIC_MESSAGES, { code: 'INVALID_INPUT', english });
}

const BATCH =
  /^(\d+) problems? in the batch; nothing was imported\. First: (\S+) ([\s\S]+)$/;

/**
 * A refused import batch (HistoricalImportRejectedError), under its first
 * problem's reason: how many problems, and the first one's field and
 * message, read like any field problem. A first problem nothing reads leaves
 * the whole message to service-kit's fallback (the English in parentheses).
 */
const REJECTED_BATCH: Translation = {
  english:
    '{n} problem(s) in the batch; nothing was imported. First: {field} {message}',
  match(english) {
    const found = BATCH.exec(english);
    if (!found) return undefined;
    const [, n, field, message] = found as unknown as [
      string,
      string,
      string,
      string,
    ];
    const problem = inputProblem(message);
    if (problem === undefined) return undefined;
    return `${n} ${n === '1' ? 'problema' : 'problemas'} en el lote; no se importó nada. El primero: ${field} ${problem}`;
  },
};

/**
 * The certification service's error messages in Spanish, by reason code
 * (`extensions.reason`; issue 14). English is the message at the throw site;
 * each `from()` reads the values of the English message into the Spanish one.
 * test/domain/messages.test.ts fails, naming the code, when a code thrown
 * under src/ has no entry here.
 *
 * Words: a certifying body is an "organismo certificador", an evaluation
 * centre a "centro de evaluación", a standard a "norma" (as the other
 * services say); statuses and field names stay as the API spells them.
 */
export const certificationMessages = defineMessages({
  // Who may act (access.ts, Query.ts).
  UNAUTHENTICATED: from(
    'Sign in to import: imports are audited',
    'Inicie sesión para importar: las importaciones se auditan',
  ),
  NOT_BODY_EVALUATOR: from(
    'Only an evaluator of this certifying body may record its evaluations',
    'Solo un evaluador de este organismo certificador puede registrar sus evaluaciones',
  ),
  NOT_BODY_CERTIFIER: [
    from(
      'Only a certifier of this certifying body may issue its certificates',
      'Solo un certificador de este organismo certificador puede emitir sus certificados',
    ),
    from(
      'Only admins or a certifier of this body may do this',
      'Solo los administradores o un certificador de este organismo pueden hacer esto',
    ),
  ],
  NOT_BODY_STAFF: [
    from(
      'Only staff of this certifying body may propose its candidacies',
      'Solo el personal de este organismo certificador puede proponer sus candidaturas',
    ),
    from(
      'Only staff of the evaluating body may ask another body to certify its evaluation',
      'Solo el personal del organismo evaluador puede pedir a otro organismo que certifique su evaluación',
    ),
    from(
      'Only the body’s staff and admins see its expiry reminders',
      'Solo el personal del organismo y los administradores ven sus avisos de vencimiento',
    ),
    from(
      'Only the body’s staff and admins see its candidacies',
      'Solo el personal del organismo y los administradores ven sus candidaturas',
    ),
    from(
      'Only the body’s staff, admins and the council see its verification counts',
      'Solo el personal del organismo, los administradores y el consejo ven sus conteos de verificaciones',
    ),
  ],
  NOT_CANDIDATE: from(
    'Only the person may accept or decline their candidacy',
    'Solo la persona puede aceptar o rechazar su candidatura',
  ),
  NOT_ADMIN: from(
    'Only admins may do this',
    'Solo los administradores pueden hacer esto',
  ),
  NOT_PERSON: [
    from(
      'Only the person and admins read who read their personal data',
      'Solo la persona y los administradores consultan quién leyó sus datos personales',
    ),
    from(
      'Only the person and admins see a person’s expiry reminders',
      'Solo la persona y los administradores ven los avisos de vencimiento de una persona',
    ),
    from(
      'Only the person and admins see a person’s candidacies',
      'Solo la persona y los administradores ven las candidaturas de una persona',
    ),
  ],
  NOT_ADMIN_OR_COUNCIL: from(
    'Only admins and the council see a standard’s verification counts across bodies',
    'Solo los administradores y el consejo ven los conteos de verificaciones de una norma en todos los organismos',
  ),
  EVALUATION_NOT_VISIBLE: from(
    'Only the candidate, the evaluating body’s staff, the body asked to certify it and admins may read an evaluation',
    'Solo la persona candidata, el personal del organismo evaluador, el organismo al que se pidió certificarla y los administradores pueden leer una evaluación',
  ),
  CREDENTIAL_NOT_EXPORTABLE: from(
    'Only the holder, the issuing body’s staff and admins may export a credential',
    'Solo el titular, el personal del organismo emisor y los administradores pueden exportar una credencial',
  ),
  // Accreditations (accreditation.ts).
  ACCREDITATION_TRANSITION_NOT_ALLOWED: from(
    'An accreditation in status {from} cannot become {to}',
    'Una acreditación en estado {from} no puede pasar a {to}',
  ),
  ACCREDITATION_NOT_ACTIVE: [
    from(
      'The body has no ACTIVE accreditation for this standard',
      'El organismo no tiene una acreditación en estado ACTIVE para esta norma',
    ),
    from(
      "The body's accreditation for this standard is not ACTIVE",
      'La acreditación del organismo para esta norma no está en estado ACTIVE',
    ),
  ],
  // NOT_ACCREDITED_FOR_EVALUATION and NOT_ACCREDITED_FOR_CERTIFICATION: an
  // ACTIVE accreditation whose scope does not allow the act.
  'NOT_ACCREDITED_FOR_*': [
    from(
      'The body is accredited to certify this standard, not to evaluate against it',
      'El organismo está acreditado para certificar esta norma, no para evaluar con base en ella',
    ),
    from(
      'The body is accredited to evaluate against this standard, not to certify it: an independent body accredited for certification certifies its evaluations',
      'El organismo está acreditado para evaluar con base en esta norma, no para certificarla: sus evaluaciones las certifica un organismo independiente acreditado para certificar',
    ),
  ],
  STANDARD_NOT_PUBLISHED: [
    from(
      'Standard {id} is not PUBLISHED',
      'La norma {id} no está en estado PUBLISHED',
    ),
    from(
      'The standard is not PUBLISHED: no new certificates against it',
      'La norma no está en estado PUBLISHED: ya no se emiten certificados nuevos con base en ella',
    ),
  ],
  BODY_NOT_NOMINATED: from(
    "The standard's committee has not nominated this body's organization",
    'El comité de la norma no ha nominado a la organización de este organismo',
  ),
  INSUFFICIENT_NOMINATIONS: from(
    'The standard has {count} nominated certifiers; {needed} are needed before any accreditation is active',
    'La norma tiene {count} certificadores nominados; se necesitan {needed} antes de que cualquier acreditación esté activa',
  ),
  NO_APPROVED_PROCEDURE: from(
    'The body has no APPROVED evaluation procedure: an admin approves one before any accreditation of the body becomes ACTIVE',
    'El organismo no tiene un procedimiento de evaluación en estado APPROVED: un administrador debe aprobar uno antes de que cualquier acreditación del organismo pase a ACTIVE',
  ),
  // Evaluation procedures (evaluation-procedure.ts).
  PROCEDURE_TRANSITION_NOT_ALLOWED: from(
    'An evaluation procedure in status {from} cannot become {to}',
    'Un procedimiento de evaluación en estado {from} no puede pasar a {to}',
  ),
  // Candidacies (candidacy.ts).
  PERSON_REFERENCE_NOT_FOUND: from(
    'No person reference of this organization has this id: register the person first',
    'Ninguna referencia de persona de esta organización tiene este id: registre primero a la persona',
  ),
  CANDIDACY_TRANSITION_NOT_ALLOWED: from(
    'A {from} candidacy cannot become {to}',
    'Una candidatura en estado {from} no puede pasar a {to}',
  ),
  NO_CANDIDACY: from(
    'The body has no candidacy of this person for this standard: propose one and let the person accept it',
    'El organismo no tiene una candidatura de esta persona para esta norma: proponga una y deje que la persona la acepte',
  ),
  CANDIDACY_NOT_ACCEPTED: from(
    'The candidacy is {status}: the person has not accepted it',
    'La candidatura está en estado {status}: la persona no la ha aceptado',
  ),
  // Evaluations (evaluation.ts).
  EVALUATED_IN_FUTURE: from(
    'must not be in the future',
    'no debe ser una fecha futura',
  ),
  EVALUATOR_IS_CANDIDATE: from(
    'An evaluator cannot evaluate themself',
    'Quien evalúa no puede evaluarse a sí mismo',
  ),
  // Certificates and the third-party path (certificate.ts, evaluation.ts).
  CERTIFIER_IS_EVALUATOR: from(
    'The certifier must not be the person who evaluated',
    'Quien certifica no debe ser la persona que evaluó',
  ),
  CENTRE_CERTIFIES_ITSELF: [
    from(
      "An evaluation centre's evaluation is certified by an independent body accredited for certification, never by the centre itself or its organization",
      'La evaluación de un centro de evaluación la certifica un organismo independiente acreditado para certificar, nunca el propio centro ni su organización',
    ),
    from(
      'An evaluation is certified by an independent body: not by the body that evaluated, nor one of its organization',
      'Una evaluación la certifica un organismo independiente: no el organismo que evaluó ni uno de su organización',
    ),
  ],
  CERTIFICATION_NOT_REQUESTED: from(
    'The evaluating body has not asked this body to certify the evaluation',
    'El organismo evaluador no ha pedido a este organismo que certifique la evaluación',
  ),
  EVALUATING_BODY_NOT_ACTIVE: from(
    "The evaluating body's accreditation for this standard is not ACTIVE",
    'La acreditación del organismo evaluador para esta norma no está en estado ACTIVE',
  ),
  EVALUATION_NOT_COMPETENT: from(
    'Only a COMPETENT evaluation can be certified',
    'Solo se puede certificar una evaluación con resultado COMPETENT',
  ),
  EVALUATION_TOO_OLD: [
    from(
      'The evaluation is older than {months} months: evaluate again',
      'La evaluación tiene más de {months} meses: evalúe de nuevo',
    ),
    REJECTED_BATCH,
    ...EVALUATION_TOO_OLD_IN_IMPORT,
  ],
  EVALUATION_ALREADY_CERTIFIED: [
    from(
      'Evaluation {id} already has certificate {certificate}',
      'La evaluación {id} ya tiene el certificado {certificate}',
    ),
    from(
      'Evaluation {id} already has a certificate',
      'La evaluación {id} ya tiene un certificado',
    ),
    from(
      'This evaluation already has a certificate',
      'Esta evaluación ya tiene un certificado',
    ),
  ],
  CERTIFICATE_ALREADY_VALID: [
    from(
      'The person already holds a VALID certificate for this standard',
      'La persona ya tiene un certificado VALID para esta norma',
    ),
    REJECTED_BATCH,
    ...SECOND_VALID_IN_IMPORT,
  ],
  CERTIFICATE_ALREADY_REVOKED: from(
    'The certificate is already revoked; revocation is permanent',
    'El certificado ya está revocado; la revocación es permanente',
  ),
  CERTIFICATE_NOT_SUSPENDED: from(
    'Only a suspended certificate can be reinstated',
    'Solo se puede rehabilitar un certificado suspendido',
  ),
  CERTIFICATE_ALREADY_SUSPENDED: from(
    'The certificate is already suspended',
    'El certificado ya está suspendido',
  ),
  CERTIFICATE_EXPIRED: from(
    'The certificate has expired: there is nothing to suspend',
    'El certificado ya venció: no hay nada que suspender',
  ),
  // Verifying (certificate.ts, Query.ts).
  INVALID_VERIFICATION_CODE: from(
    'must be the {n}-character verification code printed on the certificate',
    'debe ser el código de verificación de {n} caracteres impreso en el certificado',
  ),
  CREDENTIAL_TOO_LARGE: from(
    'must be at most {n} characters',
    'debe tener como máximo {n} caracteres',
  ),
  // The historical import (historical-import.ts): each reason is also the
  // code of a refused batch whose first problem it is.
  ISSUED_NOT_IN_PAST: [REJECTED_BATCH, ...ISSUED_NOT_IN_PAST],
  EVALUATED_AFTER_ISSUE: [REJECTED_BATCH, ...EVALUATED_AFTER_ISSUE],
  UNKNOWN_STANDARD: [REJECTED_BATCH, ...UNKNOWN_STANDARD],
  EVALUATED_BEFORE_GAZETTE: [REJECTED_BATCH, ...BEFORE_GAZETTE],
  ISSUED_BEFORE_GAZETTE: [REJECTED_BATCH, ...BEFORE_GAZETTE],
  UNKNOWN_CERTIFYING_BODY: [REJECTED_BATCH, ...UNKNOWN_CERTIFYING_BODY],
  BODY_NOT_ACCREDITED: [REJECTED_BATCH, ...BODY_NOT_ACCREDITED],
  DUPLICATE_FOLIO: [REJECTED_BATCH, ...DUPLICATE_FOLIO],
  // @conecta/mexico's CURP check names this reason for its whole refusal,
  // and the other fields of that refusal are read under it too: without
  // this entry, service-kit's INVALID_CURP sentence would answer for them.
  INVALID_CURP: ({ english }) =>
    REJECTED_BATCH.match(english) ?? inputProblem(english),
  // Unique values and concurrent changes (store/, historical import).
  ACCREDITATION_EXISTS: from(
    'The body already has an accreditation for this standard',
    'El organismo ya tiene una acreditación para esta norma',
  ),
  CANDIDACY_EXISTS: from(
    'The body already has a candidacy of this person for this standard',
    'El organismo ya tiene una candidatura de esta persona para esta norma',
  ),
  CERTIFYING_BODY_EXISTS: from(
    'Organization {id} is already a certifying body',
    'La organización {id} ya es un organismo certificador',
  ),
  CONCURRENT_MODIFICATION: [
    from(
      'The accreditation changed meanwhile; read it again and retry',
      'La acreditación cambió mientras tanto; vuelva a leerla y reintente',
    ),
    from(
      'The candidacy changed meanwhile; read it again and retry',
      'La candidatura cambió mientras tanto; vuelva a leerla y reintente',
    ),
    from(
      'The certificate changed meanwhile: read it again and retry',
      'El certificado cambió mientras tanto: vuelva a leerlo y reintente',
    ),
    from(
      'The certifying body changed meanwhile; read it again and retry',
      'El organismo certificador cambió mientras tanto; vuelva a leerlo y reintente',
    ),
    from(
      'Another version of the procedure was drafted meanwhile; read again and retry',
      'Mientras tanto se redactó otra versión del procedimiento; vuelva a leer y reintente',
    ),
    from(
      'The procedure changed meanwhile; read it again and retry',
      'El procedimiento cambió mientras tanto; vuelva a leerlo y reintente',
    ),
    from(
      'The evaluation changed meanwhile; read it again and retry',
      'La evaluación cambió mientras tanto; vuelva a leerla y reintente',
    ),
    from(
      'Not imported: folios {folios} (the person got a VALID certificate for the same standard meanwhile). The rest of the batch was written; send it again to see why.',
      'No se importaron los folios {folios} (mientras tanto la persona obtuvo un certificado VALID para la misma norma). El resto del lote se escribió; envíelo de nuevo para ver por qué.',
    ),
  ],
  // What ids name (resolvers' loadOrThrow).
  CERTIFYING_BODY_NOT_FOUND: notFound(
    'CertifyingBody',
    'el organismo certificador',
  ),
  PERSON_NOT_FOUND: notFound('Person', 'la persona'),
  CANDIDACY_NOT_FOUND: notFound('Candidacy', 'la candidatura'),
  EVALUATION_PROCEDURE_NOT_FOUND: notFound(
    'EvaluationProcedure',
    'el procedimiento de evaluación',
  ),
  ACCREDITATION_NOT_FOUND: notFound('Accreditation', 'la acreditación'),
  CERTIFICATE_NOT_FOUND: notFound('Certificate', 'el certificado'),
  ORGANIZATION_NOT_FOUND: notFound('Organization', 'la organización'),
  COMPETENCY_STANDARD_NOT_FOUND: notFound(
    'CompetencyStandard',
    'la norma de competencia',
  ),
  EVALUATION_NOT_FOUND: notFound('Evaluation', 'la evaluación'),
  STATUS_LIST_NOT_FOUND: notFound('StatusList', 'la lista de estado'),
  // The schemas' own field messages (beside service-kit's generic ones),
  // every per-record problem of an import (see above), and a refused batch
  // whose first problem has no reason of its own.
  INVALID_INPUT: [REJECTED_BATCH, ...IMPORT_PROBLEMS, ...INPUT_PHRASES],
});
