import type { AGENDA_ITEM_KINDS } from '@conecta/events/contracts';
import { ConflictError } from '@conecta/service-kit/errors';

export type AgendaItemKind = (typeof AGENDA_ITEM_KINDS)[number];

/** One item of a committee's human-capital agenda, as its event told it. */
export interface AgendaItemView {
  /** Stable across the versions that carry the item over. */
  id: string;
  /** 1 is the highest priority. */
  priority: number;
  kind: AgendaItemKind;
  title: string;
  targetYear: number;
}

/** The agenda in force: the latest version the committee published. */
export interface AgendaInForce {
  version: number;
  publishedAt: Date;
  items: AgendaItemView[];
}

/**
 * What standards knows about a committee: a local projection of the
 * committees service's events (CommitteeInstalled, CommitteeDissolved,
 * CommitteeMembersChanged, HumanCapitalAgendaPublished), so its rules never
 * call another service.
 */
export interface CommitteeView {
  id: string;
  name: string;
  sectorId: string;
  status: 'INSTALLED' | 'DISSOLVED';
  /** Organizations of its members: the callers who see its drafts. */
  memberOrganizationIds: string[];
  /** Its agenda in force; null until standards hears of one. */
  agenda: AgendaInForce | null;
}

/**
 * Asserts a committee may own a draft of `sectorId`: known, INSTALLED, and of
 * the same sector.
 *
 * @throws ConflictError `COMMITTEE_NOT_INSTALLED` (unknown, only proposed, or
 *   dissolved) or `SECTOR_MISMATCH`
 */
export function assertCanOwnDraft(
  committee: CommitteeView | null,
  sectorId: string,
): asserts committee is CommitteeView {
  if (!committee || committee.status !== 'INSTALLED') {
    throw new ConflictError(
      'COMMITTEE_NOT_INSTALLED',
      'Only an installed committee may own a draft standard',
      'input.committeeId',
    );
  }
  if (committee.sectorId !== sectorId) {
    throw new ConflictError(
      'SECTOR_MISMATCH',
      "The standard's sector must be its committee's sector",
      'input.sectorId',
    );
  }
}

/**
 * The item of the committee's agenda in force that a new standard covers
 * (the seeds: the agenda comes first, standards come from it). Either kind
 * of item may be covered: a standard describes a work function or an
 * occupation.
 *
 * @throws ConflictError `NO_AGENDA_IN_FORCE` (standards has heard of no agenda
 *   of the committee — none published, or its event still on its way) or
 *   `AGENDA_ITEM_NOT_IN_FORCE` (not an item of the latest version: unknown,
 *   another committee's, or retired), both at `input.agendaItemId`
 */
export function agendaItemInForce(
  committee: CommitteeView,
  agendaItemId: string,
): { agenda: AgendaInForce; item: AgendaItemView } {
  const { agenda } = committee;
  if (!agenda) {
    throw new ConflictError(
      'NO_AGENDA_IN_FORCE',
      'The committee has no human-capital agenda in force: its standards come from its agenda',
      'input.agendaItemId',
    );
  }
  const item = agenda.items.find((i) => i.id === agendaItemId);
  if (!item) {
    throw new ConflictError(
      'AGENDA_ITEM_NOT_IN_FORCE',
      `The item is not on version ${agenda.version} of the committee's agenda, the one in force`,
      'input.agendaItemId',
    );
  }
  return { agenda, item };
}
