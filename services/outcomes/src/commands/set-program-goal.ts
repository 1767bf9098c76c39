import { v7 as uuidv7 } from 'uuid';
import { requireRole } from '@conecta/service-kit';
import { newGoal, type GoalInput, type ProgramGoal } from '../domain/goal';
import { CAN_SET_PROGRAM_GOALS } from '../domain/permissions';
import type { Context } from '../context';

/**
 * An admin or the council sets a program goal: a new goal in one insert
 * (CONFLICT `GOAL_EXISTS`), so no `runCommand`.
 */
export async function setProgramGoalCommand(
  { identity, stores }: Context,
  input: GoalInput,
): Promise<ProgramGoal> {
  requireRole(identity, ...CAN_SET_PROGRAM_GOALS);
  const goal = newGoal(uuidv7(), input, new Date());
  await stores.goals.insert(goal);
  return goal;
}
