import { v7 as uuidv7 } from 'uuid';
import { parseInput, requireRole, runCommand } from '@conecta/service-kit';
import {
  agendaVersion,
  publishAgenda,
  publishAgendaInput,
  type AgendaVersion,
} from '../domain/committee';
import {
  CAN_MANAGE_COMMITTEE,
  assertActsForCommittee,
} from '../domain/permissions';
import type { Context } from '../context';
import { loadCommittee, present, saveOutcome } from './load';

/** An INSTALLED committee publishes the next version of its human-capital agenda; answers that version. */
export function publishHumanCapitalAgendaCommand(
  ctx: Context,
  rawInput: unknown,
): Promise<AgendaVersion> {
  requireRole(ctx.identity, ...CAN_MANAGE_COMMITTEE);
  const input = parseInput(publishAgendaInput, rawInput);
  return runCommand(input, {
    load: (i) => loadCommittee(ctx, i.committeeId),
    authorize: (committee) => assertActsForCommittee(ctx.identity, committee),
    decide: (committee, i) =>
      publishAgenda(committee, i, { now: new Date(), newId: () => uuidv7() }),
    save: (committee, outcome) => saveOutcome(ctx, committee, outcome),
    answer: (saved) => present(agendaVersion(saved), 'published agenda'),
  });
}
