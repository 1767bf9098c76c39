import type { AgendaInForce } from './committee';
import type { AgendaItemLink, CompetencyStandard } from './standard';

/** An agenda item as a standard or the coverage shows it. */
export interface StandardAgendaItem extends AgendaItemLink {
  /** On the committee's agenda in force (false once a later version left it out). */
  inForce: boolean;
}

/** One item of the agenda in force and the published standards covering it. */
export interface AgendaItemCoverage {
  item: StandardAgendaItem;
  covered: boolean;
  /** PUBLISHED standards linked to the item, oldest first. */
  publishedStandards: CompetencyStandard[];
}

/** Items with a published standard against all items of the agenda in force. */
export interface AgendaCoverage {
  agendaVersion: number;
  publishedAt: Date;
  itemCount: number;
  coveredItemCount: number;
  /** coveredItemCount / itemCount, to 3 decimals; 0 for an empty agenda. */
  ratio: number;
  /** By priority. */
  items: AgendaItemCoverage[];
}

/**
 * The agenda item a standard covers, with the values of the agenda in force
 * while the item is in it (a later version may have renamed or reprioritized
 * it), else as it read when the standard was linked. Null for a standard
 * drafted before drafting required an item.
 */
export function standardAgendaItem(
  standard: Pick<CompetencyStandard, 'agendaItem'>,
  agenda: AgendaInForce | null,
): StandardAgendaItem | null {
  const link = standard.agendaItem;
  if (!link) return null;
  const current = agenda?.items.find((i) => i.id === link.id);
  if (!agenda || !current) return { ...link, inForce: false };
  return {
    id: current.id,
    agendaVersion: agenda.version,
    priority: current.priority,
    kind: current.kind,
    title: current.title,
    targetYear: current.targetYear,
    inForce: true,
  };
}

/**
 * How much of a committee's agenda in force its standards cover: an item is
 * covered when a PUBLISHED standard (not one withdrawn or superseded, nor one
 * still on its way) is linked to it. Standards linked to retired items do
 * not count.
 */
export function agendaCoverage(
  agenda: AgendaInForce,
  standards: readonly CompetencyStandard[],
): AgendaCoverage {
  const items = [...agenda.items]
    .sort((a, b) => a.priority - b.priority)
    .map((item): AgendaItemCoverage => {
      const publishedStandards = standards.filter(
        (s) => s.status === 'PUBLISHED' && s.agendaItem?.id === item.id,
      );
      return {
        item: { ...item, agendaVersion: agenda.version, inForce: true },
        covered: publishedStandards.length > 0,
        publishedStandards,
      };
    });
  const coveredItemCount = items.filter((i) => i.covered).length;
  return {
    agendaVersion: agenda.version,
    publishedAt: agenda.publishedAt,
    itemCount: items.length,
    coveredItemCount,
    ratio:
      items.length === 0
        ? 0
        : Math.round((coveredItemCount / items.length) * 1_000) / 1_000,
    items,
  };
}
