import {
  defineMessages,
  from,
  translate,
  type MessageCatalogue,
} from '@conecta/service-kit/errors';

/**
 * The automated methodology checks (review.ts): their statements are the
 * findings of a returned standard and, joined by `; `, the message of
 * `REVIEW_CHECKS_FAILED`.
 */
const CHECKS = defineMessages({
  HAS_ELEMENTS: from(
    'The standard has at least one element',
    'La norma tiene al menos un elemento',
  ),
  ELEMENT_HAS_PERFORMANCE_CRITERIA: from(
    'Element {n} "{title}" has performance criteria',
    'El elemento {n} "{title}" tiene criterios de desempeño',
  ),
  ELEMENT_HAS_KNOWLEDGE: from(
    'Element {n} "{title}" has knowledge',
    'El elemento {n} "{title}" tiene conocimientos',
  ),
  LEVEL_IN_RANGE: from(
    'Level {level} is on the qualifications framework (1–5)',
    'El nivel {level} está en el marco de cualificaciones (1–5)',
  ),
  SECTOR_MATCHES_COMMITTEE: from(
    "The standard's sector is its committee's sector",
    'El sector de la norma es el sector de su comité',
  ),
});

/** One check's statement in Spanish, whichever check it is (the English unchanged when none reads it). */
function checkInSpanish(english: string): string {
  for (const code of Object.keys(CHECKS)) {
    const spanish = translate(CHECKS as MessageCatalogue, { code, english });
    if (spanish !== undefined) return spanish;
  }
  return english;
}

/**
 * The standards service's error messages in Spanish, by reason code
 * (`extensions.reason`; issue 14). English is the message at the throw site;
 * each `from()` reads the values of the English message into the Spanish one.
 * test/domain/messages.test.ts fails, naming the code, when a code thrown
 * under src/ has no entry here.
 */
export const standardsMessages = defineMessages({
  // The owning committee and its agenda.
  COMMITTEE_NOT_INSTALLED:
    'Solo un comité instalado puede ser responsable de un borrador de norma',
  SECTOR_MISMATCH: 'El sector de la norma debe ser el sector de su comité',
  NO_AGENDA_IN_FORCE:
    'El comité no tiene una agenda de capital humano vigente: sus normas provienen de su agenda',
  AGENDA_ITEM_NOT_IN_FORCE: from(
    "The item is not on version {version} of the committee's agenda, the one in force",
    'El punto no está en la versión {version} de la agenda del comité, la vigente',
  ),
  // The lifecycle: `STANDARD_NOT_<STATUS>` names the status required.
  'STANDARD_NOT_*': [
    from(
      'A standard in {from} cannot become {to}: it must be {required}',
      'Una norma en estado {from} no puede pasar a {to}: debe estar en {required}',
    ),
    from(
      'The standard is {actual}, not {status}',
      'La norma está en estado {actual}, no en {status}',
    ),
  ],
  REVISION_IN_PROGRESS: [
    from(
      'A version of {code} is already on its way to publication',
      'Ya hay una versión de {code} en camino a su publicación',
    ),
    from(
      'Version {version} of {code} already exists',
      'La versión {version} de {code} ya existe',
    ),
  ],
  STANDARD_CODES_EXHAUSTED: from(
    'Standard code number {n} is outside EC0001–EC9999',
    'El número de clave de norma {n} está fuera de EC0001–EC9999',
  ),
  // The review.
  ...CHECKS,
  ELEMENT_INDEX_OUT_OF_RANGE: [
    from(
      'must be absent: the standard has no elements',
      'debe omitirse: la norma no tiene elementos',
    ),
    from(
      'must be {min} to {max}: the standard has {count} elements',
      'debe ser de {min} a {max}: la norma tiene {count} elementos',
    ),
  ],
  FINDINGS_REQUIRED:
    'Devolver una norma a DRAFT requiere al menos una observación (todas las verificaciones automáticas se aprobaron)',
  REVIEW_CHECKS_FAILED: ({ english }) => {
    const prefix = 'Automated checks failed: ';
    if (!english.startsWith(prefix)) return undefined;
    const failed = english.slice(prefix.length).split('; ');
    return `Fallaron las verificaciones automáticas: ${failed.map(checkInSpanish).join('; ')}`;
  },
  // The technical council.
  SEAT_NOT_IN_COMPOSITION: from(
    'Seat {seat} is not on the council ({name}: chair + {members})',
    'El asiento {seat} no está en el consejo ({name}: presidencia + {members})',
  ),
  HOLDS_ANOTHER_SEAT: from(
    'This person already holds seat {seat}; one person holds one seat',
    'Esta persona ya ocupa el asiento {seat}; cada persona ocupa un solo asiento',
  ),
  SEAT_NOT_HELD: from(
    'Only the person appointed to seat {seat} may cast its vote',
    'Solo la persona designada para el asiento {seat} puede emitir su voto',
  ),
  SEAT_ALREADY_VOTED: from(
    'Seat {seat} has already voted on this standard',
    'El asiento {seat} ya votó sobre esta norma',
  ),
  VOTER_ALREADY_VOTED: 'Usted ya votó sobre esta norma desde otro asiento',
  COUNCIL_QUORUM_NOT_MET: [
    from(
      'The vote needs {quorum} votes cast and one from each side; {n} more vote(s) needed; missing sides: {sides}',
      'La votación necesita {quorum} votos emitidos y uno de cada sector; faltan {n} voto(s); sectores sin votar: {sides}',
    ),
    from(
      'The vote needs {quorum} votes cast and one from each side; {n} more vote(s) needed',
      'La votación necesita {quorum} votos emitidos y uno de cada sector; faltan {n} voto(s)',
    ),
    from(
      'The vote needs {quorum} votes cast and one from each side; missing sides: {sides}',
      'La votación necesita {quorum} votos emitidos y uno de cada sector; sectores sin votar: {sides}',
    ),
  ],
  // Who may act (service-kit's generic messages read the others).
  FORBIDDEN: from(
    'Only members of the owning committee (role committee_member) or admins may write its standards',
    'Solo los miembros del comité responsable (rol committee_member) o los administradores pueden escribir sus normas',
  ),
  UNAUTHENTICATED: from(
    'A council vote must be cast by a signed-in person',
    'Un voto del consejo debe emitirlo una persona que haya iniciado sesión',
  ),
  // What inputs name.
  COMPETENCY_STANDARD_NOT_FOUND: from(
    'CompetencyStandard {id} not found',
    'No existe la norma {id}',
  ),
  // Concurrent changes.
  STANDARD_CHANGED_CONCURRENTLY:
    'La norma cambió mientras se procesaba esta solicitud; léala de nuevo y reintente',
  SEAT_CHANGED_CONCURRENTLY:
    'Alguien más designó el asiento mientras tanto; lea de nuevo la lista de asientos y reintente',
  // The schemas' own field messages (beside service-kit's generic ones).
  INVALID_INPUT: [
    from('must have at most {n} items', 'debe tener como máximo {n} entradas'),
    from(
      'must have at most {n} elements',
      'debe tener como máximo {n} elementos',
    ),
    from(
      'must have at most {n} findings',
      'debe tener como máximo {n} observaciones',
    ),
    from(
      'must be unique within the standard',
      'debe ser único dentro de la norma',
    ),
    from(
      'must be a whole number of years',
      'debe ser un número entero de años',
    ),
    from('must not be in the future', 'no debe ser una fecha futura'),
    from(
      'must name the item of the committee’s agenda in force that the standard covers',
      'debe nombrar el punto de la agenda vigente del comité que cubre la norma',
    ),
    // Not among service-kit's generic phrases (which read "{field} must be a UUID").
    from('must be a UUID', 'debe ser un UUID'),
  ],
});
