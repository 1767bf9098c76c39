import { defineMessages, from } from '@conecta/service-kit/errors';
import { HISTORY_TRUNCATED_ADVICE } from './history';

// A truncated history's refusal (history.ts): its summary, where each
// partition starts now, and the operator's advice.
const TRUNCATED_SUMMARY =
  'the read models are built from, so a rebuild would miss their oldest events and report done without them; none was started. Starts now: {starts}.';
const TRUNCATED_SUMMARY_ES =
  'de las que se construyen los modelos de lectura, así que una reconstrucción perdería sus eventos más antiguos y se daría por terminada sin ellos; no se inició ninguna. Ahora comienzan: {starts}.';
const TRUNCATED_ADVICE_ES =
  'Restaure los tópicos desde un respaldo o archivo para que cada partición vuelva a comenzar en el offset 0 y luego reconstruya. ' +
  'Mientras tanto los modelos de lectura actuales siguen respondiendo, y están completos mientras el grupo de consumidores nunca se haya quedado atrás de la retención ' +
  '(leyó cada registro eliminado antes de que se eliminara).';
const HISTORY_TRUNCATED = [
  from(
    `Kafka no longer holds the beginning of one partition ${TRUNCATED_SUMMARY} ${HISTORY_TRUNCATED_ADVICE}`,
    `Kafka ya no conserva el comienzo de una partición ${TRUNCATED_SUMMARY_ES} ${TRUNCATED_ADVICE_ES}`,
  ),
  from(
    `Kafka no longer holds the beginning of {n} partitions ${TRUNCATED_SUMMARY} ${HISTORY_TRUNCATED_ADVICE}`,
    `Kafka ya no conserva el comienzo de {n} particiones ${TRUNCATED_SUMMARY_ES} ${TRUNCATED_ADVICE_ES}`,
  ),
];

/** `from` / `to` of an analytics span not on its granularity's grid (periods.ts). */
const NOT_ALIGNED = (
  [
    ['month', 'mes'],
    ['quarter', 'trimestre'],
    ['year', 'año'],
  ] as const
).flatMap(([unit, unidad]) => [
  from(
    `from must be the first day of a ${unit} (e.g. {date})`,
    `from debe ser el primer día de un ${unidad} (p. ej., {date})`,
  ),
  from(
    `to must be the last day of a ${unit} (e.g. {date})`,
    `to debe ser el último día de un ${unidad} (p. ej., {date})`,
  ),
]);

/**
 * The outcomes service's error messages in Spanish, by reason code
 * (`extensions.reason`; issue 14). English is the message at the throw site;
 * each `from()` reads the values of the English message into the Spanish one.
 * test/domain/messages.test.ts fails, naming the code, when a code thrown
 * under src/ has no entry here.
 */
export const outcomesMessages = defineMessages({
  // Rebuilding the read models.
  HISTORY_TRUNCATED: ({ english }) => {
    for (const translation of HISTORY_TRUNCATED) {
      const spanish = translation.match(english);
      if (spanish !== undefined)
        return spanish.replace(
          / partition (\d+) from offset (\d+)/g,
          ' partición $1 desde el offset $2',
        );
    }
    return undefined;
  },
  PERIOD_NOT_ALIGNED: NOT_ALIGNED,
  // Records already there (a retry reads them).
  PLACEMENT_EXISTS: [
    from(
      'This placement is already recorded as {id} (the same person, employer and start date); read it instead of recording it again',
      'Esta colocación ya está registrada como {id} (la misma persona, empleador y fecha de inicio); léala en lugar de registrarla de nuevo',
    ),
    from('The placement exists', 'La colocación ya existe'),
  ],
  GOAL_EXISTS: 'La meta ya existe',
  // Who may act (service-kit's generic messages read the others).
  FORBIDDEN: [
    from(
      'Only the employer, brokers and admins record placements',
      'Solo el empleador, los intermediarios (brokers) y los administradores registran colocaciones',
    ),
    from(
      'Only the employer, brokers and admins submit surveys',
      'Solo el empleador, los intermediarios (brokers) y los administradores envían encuestas',
    ),
  ],
  // The field messages of placements, goals, surveys and analytics filters
  // (each names its field, as written at the throw site).
  INVALID_INPUT: [
    from(
      'jobTitle must have 1 to {n} characters',
      'jobTitle debe tener de 1 a {n} caracteres',
    ),
    from(
      'name must have 1 to {n} characters',
      'name debe tener de 1 a {n} caracteres',
    ),
    from(
      'state must be an ISO 3166-2:MX code, e.g. MX-JAL',
      'state debe ser una clave ISO 3166-2:MX, p. ej., MX-JAL',
    ),
    from(
      'target must be a whole number ≥ 1',
      'target debe ser un número entero ≥ 1',
    ),
    from(
      'deadline must be after startsOn',
      'deadline debe ser posterior a startsOn',
    ),
    from(
      '{metric} goals count whole calendar months: startsOn must be the first day of a month',
      'las metas {metric} cuentan meses calendario completos: startsOn debe ser el primer día de un mes',
    ),
    from(
      '{metric} goals count whole calendar months: deadline must be the last day of a month',
      'las metas {metric} cuentan meses calendario completos: deadline debe ser el último día de un mes',
    ),
    from(
      'only PLACEMENTS goals may be scoped to a state: certificates and enrollments carry no state',
      'solo las metas PLACEMENTS pueden limitarse a un estado: los certificados y las inscripciones no llevan estado',
    ),
    from('rate at least one factor', 'califique al menos un factor'),
    from('{factor} is rated twice', '{factor} está calificado dos veces'),
    from(
      '{factor} must be scored 1 to 5',
      '{factor} debe calificarse de 1 a 5',
    ),
    from(
      'placementWithinMonths must be a whole number of months from 1 to {max}',
      'placementWithinMonths debe ser un número entero de meses de 1 a {max}',
    ),
    from(
      'first must be a whole number from 1 to {max}',
      'first debe ser un número entero de 1 a {max}',
    ),
    from('from must not be after to', 'from no debe ser posterior a to'),
    from('to must not be before from', 'to no debe ser anterior a from'),
    from('to must be on or after from', 'to debe ser igual o posterior a from'),
    from(
      'the span may cover at most {n} months',
      'el intervalo puede abarcar como máximo {n} meses',
    ),
    from(
      'the span may cover at most {n} years',
      'el intervalo puede abarcar como máximo {n} años',
    ),
    from(
      'pricesOf must be in {month} or later (the INPC table starts there)',
      'pricesOf debe ser {month} o posterior (ahí comienza la tabla del INPC)',
    ),
  ],
});
