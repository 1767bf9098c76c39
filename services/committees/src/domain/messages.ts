import { defineMessages, from } from '@conecta/service-kit/errors';

/**
 * The committees service's error messages in Spanish, by reason code
 * (`extensions.reason`; issue 14). English is the message at the throw site;
 * each `from()` reads the values of the English message into the Spanish one.
 * test/domain/messages.test.ts fails, naming the code, when a code thrown
 * under src/ has no entry here.
 */
export const committeesMessages = defineMessages({
  // Proposing a committee (zod issues of proposeCommitteeInput).
  REGIONAL_SCOPE_WITHOUT_STATES: 'un comité REGIONAL nombra al menos un estado',
  NATIONAL_SCOPE_WITH_STATES:
    'un comité NATIONAL abarca todos los estados: no liste ninguno',
  DUPLICATE_STATE: from('{state} is listed twice', '{state} aparece dos veces'),
  // Agendas.
  DUPLICATE_AGENDA_ITEM: [
    from(
      '"{title}" is already on the agenda',
      '"{title}" ya está en la agenda',
    ),
    from(
      'carries over an item already listed',
      'retoma un punto que ya está en la lista',
    ),
  ],
  AGENDA_ITEM_NOT_IN_FORCE: from(
    'is not an item of the agenda in force',
    'no es un punto de la agenda vigente',
  ),
  AGENDA_ITEM_KIND_CHANGED: from(
    'must stay {kind} to carry the item over',
    'debe seguir siendo {kind} para retomar el punto',
  ),
  TARGET_YEAR_IN_PAST: from(
    'must not be before {year}, the year of publication',
    'no debe ser anterior a {year}, el año de publicación',
  ),
  // The lifecycle.
  COMMITTEE_NOT_PROPOSED: from(
    'Cannot {transition} a committee that is {from} (only from {allowed})',
    'No se puede hacer «{transition}» con un comité en estado {from} (solo desde {allowed})',
  ),
  COMMITTEE_ALREADY_DISSOLVED: from(
    'Cannot {transition} a committee that is {from} (only from {allowed})',
    'No se puede hacer «{transition}» con un comité en estado {from} (solo desde {allowed})',
  ),
  COMMITTEE_DISSOLVED: from(
    'Committee {id} is dissolved: it can no longer change',
    'El comité {id} está disuelto: ya no puede cambiar',
  ),
  COMMITTEE_NOT_INSTALLED: from(
    'Committee {id} is {status}: only an installed committee may do this',
    'El comité {id} está en estado {status}: solo un comité instalado puede hacer esto',
  ),
  COMMITTEE_NOT_INSTALLABLE: from(
    'The committee cannot be installed yet: {unmet}',
    'El comité todavía no puede instalarse: {unmet}',
  ),
  // Members and the working group.
  NOT_A_MEMBER: 'no es miembro de este comité',
  SIDE_NOT_FOR_ORGANIZATION_KIND: from(
    'a {kind} organization represents the {allowed} side, not {side}',
    'una organización {kind} representa al sector {allowed}, no {side}',
  ),
  MEMBER_ALREADY_IN_COMMITTEE: 'Esta organización ya es miembro del comité',
  MEMBER_NOT_ATTESTED:
    'Todo miembro de un comité instalado es un tomador de decisiones acreditado: indique decisionMakerRole',
  MEMBER_ALREADY_ATTESTED: from(
    'This member is already attested as {role}',
    'Este miembro ya está acreditado como {role}',
  ),
  CHAIR_CANNOT_LEAVE:
    'La presidencia no puede dejar el comité: designe primero otra presidencia',
  LAST_EMPLOYER_MEMBER:
    'Un comité instalado conserva al menos un miembro EMPLOYER',
  ALREADY_CHAIR: 'Este miembro ya preside el comité',
  EXPERT_ALREADY_IN_WORKING_GROUP:
    'Esta persona experta ya está en el grupo técnico con esta especialidad',
  // Nominations.
  STANDARD_OF_ANOTHER_COMMITTEE: from(
    'Standard {code} belongs to another committee: only its own committee nominates its certifiers',
    'La norma {code} pertenece a otro comité: solo su propio comité nomina a sus certificadores',
  ),
  STANDARD_NOT_PUBLISHED: [
    from(
      'Standard {code} is {status}: certifiers are nominated only for published standards',
      'La norma {code} está en estado {status}: solo se nominan certificadores para normas publicadas',
    ),
    from(
      'Standard {id} is not published (no publication seen)',
      'La norma {id} no está publicada (no se ha visto su publicación)',
    ),
  ],
  NOMINATION_DUPLICATE: 'Esta organización ya está nominada para esta norma',
  // Who may act.
  NOT_ACTING_FOR_COMMITTEE:
    'Solo un administrador, o un miembro del comité que actúe por una de sus organizaciones, puede cambiar este comité',
  NOT_A_MEMBER_ORGANIZATION:
    'Solo un administrador, o un miembro del comité que actúe por una organización miembro, nomina por este comité',
  ATTESTATION_BY_ANOTHER_ORGANIZATION:
    'La acreditación como tomador de decisiones la hace la propia organización miembro (o un administrador)',
  ORGANIZATION_REQUIRED:
    'Un miembro de comité propone un comité en nombre de una organización: no se indicó ninguna',
  // What inputs name.
  SECTOR_NOT_FOUND: 'no es un sector del catálogo',
  ORGANIZATION_NOT_FOUND: 'no es una organización registrada',
  COMMITTEE_NOT_FOUND: from(
    'Committee {id} not found',
    'No existe el comité {id}',
  ),
  // Unique values and concurrent changes.
  COMMITTEE_NAME_TAKEN: from(
    'The sector already has a committee named "{name}"',
    'El sector ya tiene un comité llamado "{name}"',
  ),
  COMMITTEE_CHANGED_CONCURRENTLY:
    'El comité cambió mientras se procesaba esta solicitud: léalo de nuevo y reintente',
  ORGANIZATION_TAX_ID_TAKEN: from(
    'An organization with RFC {taxId} is already registered',
    'Ya está registrada una organización con el RFC {taxId}',
  ),
  SECTOR_CODE_TAKEN: from(
    'Sector code {code} already exists',
    'La clave de sector {code} ya existe',
  ),
  // The schemas' own field messages (beside service-kit's generic ones).
  INVALID_INPUT: [
    from('must be a year from {year}', 'debe ser un año a partir de {year}'),
    from('must be a year up to {year}', 'debe ser un año hasta {year}'),
    from(
      'must list at least one function or occupation',
      'debe listar al menos una función u ocupación',
    ),
    from('must list at most {n} items', 'debe listar como máximo {n} puntos'),
    from(
      'must be a SCIAN-style code of 2 to 6 digits',
      'debe ser una clave estilo SCIAN de 2 a 6 dígitos',
    ),
  ],
});
