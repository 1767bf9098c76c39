import { canReadPersonalData } from '../domain/access';
import type { Context } from '../context';

// One answer per person and request: a Person's six personal fields ask the same question.
const memo = new WeakMap<Context, Map<string, Promise<boolean>>>();

/**
 * Whether the caller may read `personId`'s personal data: the person, an admin,
 * or staff of a certifying body (the caller's organization's) that evaluated them.
 */
export function personalDataVisible(
  ctx: Context,
  personId: string,
): Promise<boolean> {
  let answers = memo.get(ctx);
  if (!answers) {
    answers = new Map();
    memo.set(ctx, answers);
  }
  let answer = answers.get(personId);
  if (!answer) {
    answer = decide(ctx, personId);
    answers.set(personId, answer);
  }
  return answer;
}

async function decide(ctx: Context, personId: string): Promise<boolean> {
  const { identity } = ctx;
  if (canReadPersonalData(identity, personId, [])) return true;
  if (!identity.organizationId) return false;
  const body = await ctx.loaders.bodyByOrganization.load(
    identity.organizationId,
  );
  if (!body) return false;
  const evaluated = await ctx.loaders.evaluatedBy.load(
    `${body.id}:${personId}`,
  );
  return canReadPersonalData(identity, personId, evaluated ? [body] : []);
}
