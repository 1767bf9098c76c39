import { defineMessages, from } from '@conecta/service-kit/errors';

/** A rate above its cap (`bpsField`, common.ts): the limit, and what it is. */
const ABOVE_BPS_CAP = [
  from(
    'must be at most {max} basis points ({percent}%), the vendor discount cap',
    'debe ser como máximo {max} puntos base ({percent}%), el tope de descuento del fabricante',
  ),
  from(
    'must be at most {max} basis points ({percent}%)',
    'debe ser como máximo {max} puntos base ({percent}%)',
  ),
];

/** The start of each ranking reason of a match (matching.ts). */
const RANKS = 'ranks above the next option because';
const ABOVE = 'queda por encima de la siguiente opción porque';

/**
 * The training service's error messages in Spanish, by reason code
 * (`extensions.reason`; issue 14). English is the message at the throw site;
 * each `from()` reads the values of the English message into the Spanish one.
 * test/domain/messages.test.ts fails, naming the code, when a code thrown
 * under src/ has no entry here.
 *
 * The codes of a match's reasons (matching.ts: `IN_STATE`, `RANKED_BY_*`…)
 * are never errors — a match carries its own Spanish and English — but the
 * completeness scan reads them as codes, so they are here too, in the words
 * matching.ts uses.
 */
export const trainingMessages = defineMessages({
  // Lifecycles (common.ts's `stateMachine`: "A/An <entity> in status …").
  INVALID_COHORT_TRANSITION: from(
    'A cohort in status {from} cannot become {to}',
    'Un grupo en estado {from} no puede pasar a {to}',
  ),
  INVALID_DEMAND_TRANSITION: [
    from(
      'A demand request in status {from} cannot become {to}',
      'Una solicitud de demanda en estado {from} no puede pasar a {to}',
    ),
    from(
      'A demand request in status {status} is not in a project',
      'Una solicitud de demanda en estado {status} no está en un proyecto',
    ),
  ],
  INVALID_ENROLLMENT_TRANSITION: from(
    'An enrollment in status {from} cannot become {to}',
    'Una inscripción en estado {from} no puede pasar a {to}',
  ),
  INVALID_PROJECT_TRANSITION: from(
    'A training project in status {from} cannot become {to}',
    'Un proyecto de capacitación en estado {from} no puede pasar a {to}',
  ),
  // Dates and targets (common.ts).
  TARGET_REQUIRED: 'indique exactamente uno de standardId o credentialId',
  DATE_IN_PAST: 'debe ser una fecha futura',
  DATES_REVERSED: [
    from(
      'must be a day after requestedAt',
      'debe ser al menos un día posterior a requestedAt',
    ),
    from('must not be before {field}', 'no debe ser anterior a {field}'),
  ],
  // The catalog and agreements.
  DISCOUNT_OUT_OF_RANGE: ABOVE_BPS_CAP,
  NO_DELIVERY:
    'liste al menos un estado atendido de forma presencial, o active online',
  MARKET_PRICE_REQUIRED:
    'es obligatorio para una norma de competencia (no tiene precio de catálogo)',
  DURATION_TOO_DENSE: from(
    'must be at most {max} hours a week: {hours} hours in {weeks} week(s) is {perWeek} a week',
    'debe ser como máximo {max} horas por semana: {hours} horas en {weeks} semana(s) son {perWeek} por semana',
  ),
  CREDENTIAL_CODE_TAKEN: from(
    '{vendor} {code} is already in the catalog',
    '{vendor} {code} ya está en el catálogo',
  ),
  AGREEMENT_EXPIRED: [
    from('has expired', 'ya venció'),
    from('the agreement expired on {date}', 'el convenio venció el {date}'),
  ],
  // Demand.
  DEMAND_ALREADY_REQUESTED: from(
    'This organization already asked for the same training (same target, state, city, headcount and needed-by date): demand request {id}',
    'Esta organización ya pidió la misma capacitación (mismo objetivo, estado, ciudad, número de personas y fecha límite): solicitud de demanda {id}',
  ),
  DEMAND_IN_PROJECT: [
    from(
      'This demand request is part of a training project application and cannot be cancelled now',
      'Esta solicitud de demanda forma parte de la solicitud de un proyecto de capacitación y no puede cancelarse ahora',
    ),
    from(
      'This demand request is part of a {status} training project application and cannot be cancelled',
      'Esta solicitud de demanda forma parte de la solicitud de un proyecto de capacitación {status} y no puede cancelarse',
    ),
  ],
  DEMAND_NOT_OPEN: from(
    'Demand request {id} is {status}, not OPEN',
    'La solicitud de demanda {id} está en estado {status}, no OPEN',
  ),
  // Projects and their funding.
  FUND_SHARE_ABOVE_CAP: ABOVE_BPS_CAP,
  UPFRONT_SHARE_OUT_OF_RANGE: ABOVE_BPS_CAP,
  FUND_SHARE_ABOVE_REQUESTED: from(
    'must not exceed the requested share ({bps} basis points)',
    'no debe superar la participación solicitada ({bps} puntos base)',
  ),
  SPLIT_ABOVE_CONTRIBUTION: from(
    'must be at most {per} per certified trainee: the contribution of {contribution} less {upfront} upfront leaves {room} for {n} participants',
    'debe ser como máximo {per} por persona certificada: la aportación de {contribution} menos {upfront} por adelantado deja {room} para {n} participantes',
  ),
  TARGET_MISMATCH: 'pide una norma o certificación distinta de la del convenio',
  STATE_NOT_SERVED: [
    from(
      'is not a state the agreement serves in person, and the agreement does not deliver online',
      'no es un estado que el convenio atienda de forma presencial, y el convenio no imparte en línea',
    ),
    from(
      'is in {state}, which the agreement neither serves in person nor online',
      'está en {state}, que el convenio no atiende ni de forma presencial ni en línea',
    ),
    from(
      'the agreement serves {states} in person and not online, not {state}',
      'el convenio atiende {states} de forma presencial y no en línea, no {state}',
    ),
  ],
  PROJECT_WOULD_BE_EMPTY:
    'Esta solicitud de demanda es la única de su proyecto DRAFT; un proyecto conserva al menos una',
  PROJECT_DRAFT_ABANDONED:
    'El borrador tardó demasiado y se abandonó; vuelva a redactarlo',
  PROJECT_AGREEMENT_MISMATCH: 'es un proyecto de otro convenio',
  PROJECT_NOT_APPROVED: [
    from(
      'Cohorts are scheduled for APPROVED projects only',
      'Solo se programan grupos para proyectos APPROVED',
    ),
    from(
      'is a project the fund has not approved',
      'es un proyecto que el fondo no ha aprobado',
    ),
  ],
  // Cohorts.
  OUTSIDE_AGREEMENT_VALIDITY:
    'el grupo debe impartirse dentro del periodo de vigencia del convenio',
  CAPACITY_BELOW_MINIMUM: from(
    "must be at least the agreement's minimum cohort size ({n})",
    'debe ser al menos el tamaño mínimo de grupo del convenio ({n})',
  ),
  MODE_NOT_COVERED: 'el convenio no imparte en línea',
  STATE_REQUIRED: 'es obligatorio para grupos presenciales e híbridos',
  CITY_REQUIRED: 'es obligatorio para grupos presenciales e híbridos',
  VENUE_STATE_MISMATCH: from(
    "is not the venue's state ({state}): an in-person or hybrid cohort is delivered at the venue",
    'no es el estado de la sede ({state}): un grupo presencial o híbrido se imparte en la sede',
  ),
  BELOW_MINIMUM_COHORT: [
    from(
      'The agreement needs at least {min} participants; {n} enrolled',
      'El convenio necesita al menos {min} participantes; hay {n} inscritos',
    ),
    from(
      'a new cohort needs at least {min} participants; this request brings {n}',
      'un grupo nuevo necesita al menos {min} participantes; esta solicitud trae {n}',
    ),
  ],
  COHORT_NOT_SCHEDULED: [
    from(
      'Only a SCHEDULED cohort changes capacity',
      'Solo un grupo SCHEDULED cambia de cupo',
    ),
    from('the cohort is {status}', 'el grupo está en estado {status}'),
  ],
  CAPACITY_BELOW_ENROLLED: [
    from(
      'must not be below the {n} people enrolled',
      'no debe ser menor que las {n} personas inscritas',
    ),
    from(
      'must hold the {n} participants listed',
      'debe dar cabida a los {n} participantes listados',
    ),
  ],
  COHORT_NOT_ENROLLING: [
    from(
      'The cohort takes no enrollments ({status})',
      'El grupo no admite inscripciones ({status})',
    ),
    from(
      'A {status} cohort takes no enrollments',
      'Un grupo {status} no admite inscripciones',
    ),
  ],
  COHORT_FULL: [
    from('The cohort has no free seat', 'El grupo no tiene lugares libres'),
    from('the cohort is full', 'el grupo está lleno'),
  ],
  // Enrollments.
  ALREADY_ENROLLED: 'Esta persona ya está inscrita en este grupo',
  ENROLLMENT_DROPPED: 'El participante abandonó este grupo',
  ENROLLMENT_NOT_ACTIVE: from(
    'Attendance is recorded while ENROLLED, not {status}',
    'La asistencia se registra mientras está ENROLLED, no {status}',
  ),
  COHORT_NOT_STARTED:
    'Un participante concluye un grupo que está RUNNING o COMPLETED',
  NO_VOUCHERS: 'El convenio de este grupo no incluye vales de examen',
  VOUCHER_ALREADY_ISSUED: 'Este participante ya tiene un vale de examen',
  VOUCHER_NOT_ISSUED: 'No se emitió un vale de examen a este participante',
  VOUCHER_ALREADY_USED: 'El vale de examen ya se usó',
  EXAM_ALREADY_PASSED: 'El examen del fabricante ya se registró como aprobado',
  // History imports (history.ts, cohort-history.ts).
  BATCH_TOO_LARGE: [
    from(
      'must hold at most {max} records; split the import into batches',
      'debe contener como máximo {max} registros; divida la importación en lotes',
    ),
    from(
      'hold {n} participants in all, more than {max}; split the import into batches',
      'reúnen {n} participantes en total, más de {max}; divida la importación en lotes',
    ),
  ],
  DUPLICATE_REFERENCE: from(
    'repeats input.records[{i}].reference: a reference is imported once per source',
    'repite input.records[{i}].reference: una referencia se importa una sola vez por fuente',
  ),
  DUPLICATE_FOLIO: from(
    'repeats input.records[{i}].folio: a folio is imported once per source',
    'repite input.records[{i}].folio: un folio se importa una sola vez por fuente',
  ),
  DUPLICATE_PARTICIPANT: from(
    'repeats participants[{j}].personId: a person is enrolled once in a cohort',
    'repite participants[{j}].personId: una persona se inscribe una sola vez en un grupo',
  ),
  DATE_IN_FUTURE: [
    from(
      'must be before today: an import records cohorts that took place (schedule coming ones with scheduleCohort)',
      'debe ser anterior a hoy: una importación registra grupos que ya se impartieron (programe los próximos con scheduleCohort)',
    ),
    from(
      'must be before today: only a cohort that has ended is history',
      'debe ser anterior a hoy: solo un grupo que ya terminó es historia',
    ),
    from(
      'must not be in the future: an import records history',
      'no debe ser una fecha futura: una importación registra historia',
    ),
    from('must not be in the future', 'no debe ser una fecha futura'),
  ],
  DATE_TOO_EARLY: from(
    'must not be before {date} (the national competency system)',
    'no debe ser anterior a {date} (el sistema nacional de competencias)',
  ),
  OUTCOME_OUTSIDE_COHORT: 'debe caer dentro del grupo, de startsOn a endsOn',
  REASON_ONLY_WHEN_DROPPED:
    'es solo para un participante que abandonó (DROPPED)',
  REASON_ONLY_WHEN_CANCELLED: 'es solo para un registro CANCELLED',
  AGREEMENT_MISMATCH: [
    from("is another provider's agreement", 'es un convenio de otro proveedor'),
    from(
      'is an agreement for another target',
      'es un convenio para otro objetivo',
    ),
  ],
  // What inputs name.
  ORGANIZATION_NOT_FOUND: 'no es una organización registrada',
  STANDARD_NOT_FOUND: [
    from(
      'is not a competency standard that is or was published',
      'no es una norma de competencia publicada ahora o antes',
    ),
    from(
      'is not a published competency standard',
      'no es una norma de competencia publicada',
    ),
  ],
  CREDENTIAL_NOT_FOUND: 'no es una certificación de fabricante del catálogo',
  PERSON_NOT_FOUND: [
    from(
      'is not a registered person (certification registers people; training learns of them through its events)',
      'no es una persona registrada (certificación registra a las personas; capacitación las conoce por sus eventos)',
    ),
    from(
      "is not a person of certification's registry",
      'no es una persona del registro de certificación',
    ),
  ],
  AGREEMENT_NOT_FOUND: [
    from('is not an agreement', 'no es un convenio'),
    from(
      "names none, and none of the provider's agreements for this target was valid over the cohort's days: sign or name the agreement it was delivered under",
      'no nombra ninguno, y ninguno de los convenios del proveedor para este objetivo estaba vigente en los días del grupo: firme o nombre el convenio con el que se impartió',
    ),
  ],
  DEMAND_NOT_FOUND: [
    from('is not a demand request', 'no es una solicitud de demanda'),
    from(
      'is not a known DemandRequest',
      'no es una solicitud de demanda conocida',
    ),
  ],
  PROJECT_NOT_FOUND: [
    from('is not a training project', 'no es un proyecto de capacitación'),
    from(
      'is not a known TrainingProject',
      'no es un proyecto de capacitación conocido',
    ),
  ],
  COHORT_NOT_FOUND: [
    from('is not a cohort', 'no es un grupo'),
    from('is not a known Cohort', 'no es un grupo conocido'),
  ],
  ENROLLMENT_NOT_FOUND: from(
    'is not a known Enrollment',
    'no es una inscripción conocida',
  ),
  // Who may act.
  BROKER_ONLY: [
    from(
      'Only the broker (or an admin) manages the catalog, agreements, projects and cohorts',
      'Solo el bróker (o un administrador) administra el catálogo, los convenios, los proyectos y los grupos',
    ),
    from(
      'Only the broker reviews unserved demand',
      'Solo el bróker revisa la demanda no atendida',
    ),
    from(
      'Only the broker pools demand into projects',
      'Solo el bróker agrupa la demanda en proyectos',
    ),
  ],
  ADMIN_ONLY: 'Solo un administrador importa historia (demanda, grupos)',
  IMPORTER_UNIDENTIFIED:
    'Una importación se registra a nombre del administrador que la ejecutó: la identidad no tiene sujeto (subject)',
  NOT_REQUESTER: [
    from(
      'Only the requesting organization or the broker manages this demand request',
      'Solo la organización solicitante o el bróker administra esta solicitud de demanda',
    ),
    from(
      'An organization requests training for itself only',
      'Una organización solicita capacitación solo para sí misma',
    ),
  ],
  REQUESTER_REQUIRED:
    'es obligatorio cuando un bróker registra demanda en nombre de una organización',
  NOT_AN_ORGANIZATION:
    'La demanda la solicita una organización (un socio o una universidad que actúe en su nombre) o la registra el bróker',
  NOT_COHORT_PROVIDER:
    'Solo el bróker o el proveedor del grupo registra el avance de un participante',
  // Concurrent changes (every aggregate's store, aggregate.ts).
  DEMAND_CHANGED_CONCURRENTLY: [
    from(
      'The same request was just changed; read it again and retry',
      'La misma solicitud acaba de cambiar; léala de nuevo y reintente',
    ),
    from(
      'It changed while this request was processed; read it again and retry',
      'Cambió mientras se procesaba esta solicitud; léala de nuevo y reintente',
    ),
  ],
  '*_CHANGED_CONCURRENTLY': from(
    'It changed while this request was processed; read it again and retry',
    'Cambió mientras se procesaba esta solicitud; vuelva a leerlo y reintente',
  ),
  // A match's reasons (matching.ts; never errors, see above).
  COVERS_TARGET: from(
    'covers the requested target',
    'cubre la norma o certificación solicitada',
  ),
  AGREEMENT_STARTS_AFTER_DEADLINE: from(
    'the agreement starts on {from}, after the {deadline} deadline',
    'el convenio empieza el {from}, después de la fecha límite del {deadline}',
  ),
  NEW_COHORT_TOO_LATE: [
    from(
      'a new cohort of {weeks} week(s) starting {start} would finish on {finish}, after the {deadline} deadline',
      'un grupo nuevo de {weeks} semana(s) que empiece el {start} terminaría el {finish}, después de la fecha límite del {deadline}',
    ),
    from(
      'a new cohort of {weeks} week(s) starting {start} would finish on {finish}, after the agreement ends on {until}',
      'un grupo nuevo de {weeks} semana(s) que empiece el {start} terminaría el {finish}, después de que el convenio venza el {until}',
    ),
  ],
  NEW_COHORT_IN_TIME: from(
    'a new cohort of {hours} hours over {weeks} week(s) starting {start} can finish by {finish}, before the {deadline} deadline',
    'un grupo nuevo de {hours} horas en {weeks} semana(s) que empiece el {start} puede terminar el {finish}, antes de la fecha límite del {deadline}',
  ),
  IN_STATE: [
    from(
      'delivers in person in {state}',
      'imparte de forma presencial en {state}',
    ),
    from('hybrid in {city} ({state})', 'híbrido en {city} ({state})'),
    from('in person in {city} ({state})', 'presencial en {city} ({state})'),
  ],
  SEATS_FOR_ALL: [
    from(
      'a new cohort seats all {n} people',
      'un grupo nuevo da lugar a las {n} personas',
    ),
    from(
      '{seats} free seats for {n} people',
      '{seats} lugares libres para {n} personas',
    ),
  ],
  TOO_FEW_SEATS: from(
    'only {seats} free seats for {n} people',
    'solo {seats} lugares libres para {n} personas',
  ),
  SCHEDULED_DATES: from(
    'runs {starts} to {ends}, before the {deadline} deadline',
    'se imparte del {starts} al {ends}, antes de la fecha límite del {deadline}',
  ),
  COHORT_ELSEWHERE: from(
    'the cohort is in person in {state}, not {asked}',
    'el grupo es presencial en {state}, no en {asked}',
  ),
  COHORT_ENDS_LATE: from(
    'the cohort ends on {ends}, after the {deadline} deadline',
    'el grupo termina el {ends}, después de la fecha límite del {deadline}',
  ),
  QUALITY_UNKNOWN:
    'aún no hay egresados de estos proveedores con resultado de certificación ni encuestas de empleadores publicadas: la calidad no ordena estas opciones',
  RANKED_BY_SEATS: from(
    `${RANKS} it fits the whole headcount`,
    `${ABOVE} da lugar a todo el grupo`,
  ),
  RANKED_BY_DATES: from(
    `${RANKS} its dates are fixed: the cohort is already scheduled`,
    `${ABOVE} sus fechas son firmes: el grupo ya está programado`,
  ),
  RANKED_BY_PLACE: from(
    `${RANKS} it is in person in the requester’s state`,
    `${ABOVE} es presencial en el estado de quien solicita`,
  ),
  RANKED_BY_QUALITY: from(
    `${RANKS} its provider's quality score is {a}% against {b}%`,
    `${ABOVE} la calidad de su proveedor es {a}% contra {b}%`,
  ),
  RANKED_BY_COST: from(
    `${RANKS} the participant pays {diff} less`,
    `${ABOVE} el participante paga {diff} menos`,
  ),
  RANKED_BY_END: from(
    `${RANKS} it ends earlier (or, all else equal, by a stable order)`,
    `${ABOVE} termina antes (o, en todo lo demás igual, por orden estable)`,
  ),
  // The schemas' own field messages (beside service-kit's generic ones).
  INVALID_INPUT: [
    from('must be whole centavos', 'debe ser un número entero de centavos'),
    from('must be whole hours', 'debe ser un número entero de horas'),
    from('must be whole weeks', 'debe ser un número entero de semanas'),
    from(
      'must be an integer number of basis points',
      'debe ser un número entero de puntos base',
    ),
    from(
      'must be a whole number of people',
      'debe ser un número entero de personas',
    ),
    from(
      'must list at most {n} participants',
      'debe listar como máximo {n} participantes',
    ),
    from('list at least one participant', 'liste al menos un participante'),
    from(
      'list at least one demand request',
      'liste al menos una solicitud de demanda',
    ),
    from('give at least one record', 'indique al menos un registro'),
    from('must not repeat ids', 'no debe repetir ids'),
    from('must not be in the future', 'no debe ser una fecha futura'),
  ],
});
