import type { GraphQLResolveInfo } from 'graphql';
import {
  actsAsAnyStaff,
  canReadPersonalData,
  personalDataReader,
} from '../domain/access';
import type { PersonalDataField } from '../domain/access-log';
import { relationKey, relationshipOpen } from '../domain/candidacy';
import type { Context } from '../context';

/** Whether the caller reads a person's data, and through which body's relationship. */
interface PersonalDataAccess {
  visible: boolean;
  /** The body whose open relationship lets a staff member read; null otherwise. */
  certifyingBodyId: string | null;
}

// One answer per person and request: a Person's personal fields ask the same question.
const memo = new WeakMap<Context, Map<string, Promise<PersonalDataAccess>>>();

function accessTo(ctx: Context, personId: string): Promise<PersonalDataAccess> {
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

/**
 * Whether the caller may read `personId`'s personal data: the person, an admin,
 * or staff of a certifying body (the caller's organization's) whose accepted
 * candidacy of the person is open or recent (domain/candidacy relationshipOpen).
 */
export async function personalDataVisible(
  ctx: Context,
  personId: string,
): Promise<boolean> {
  return (await accessTo(ctx, personId)).visible;
}

async function decide(
  ctx: Context,
  personId: string,
): Promise<PersonalDataAccess> {
  const { identity } = ctx;
  if (canReadPersonalData(identity, personId, []))
    return { visible: true, certifyingBodyId: null };
  const hidden = { visible: false, certifyingBodyId: null };
  if (!identity.organizationId) return hidden;
  const body = await ctx.loaders.bodyByOrganization.load(
    identity.organizationId,
  );
  // Only the body's staff have a relationship to look up.
  if (!body || !actsAsAnyStaff(identity, body)) return hidden;
  const relationship = await ctx.loaders.relationship.load(
    relationKey(body.id, personId),
  );
  const open = relationshipOpen(
    relationship,
    new Date(),
    ctx.settings.personalDataAccessDays,
  );
  return canReadPersonalData(identity, personId, open ? [body] : [])
    ? { visible: true, certifyingBodyId: body.id }
    : hidden;
}

/** The name of the root field a resolver runs under (not its alias). */
function rootFieldOf(info: GraphQLResolveInfo): string {
  let path = info.path;
  while (path.prev) path = path.prev;
  for (const selection of info.operation.selectionSet.selections) {
    if (
      selection.kind === 'Field' &&
      (selection.alias?.value ?? selection.name.value) === path.key
    )
      return selection.name.value;
  }
  return String(path.key);
}

/**
 * A personal field of a person, or null (or `hidden`) for a caller who may not
 * read it. A read by anyone but the person is logged first, batched with the
 * request's other reads (one bulk insert per batch, not one per field): the
 * value is returned only once its log entry is written.
 */
export async function personalField<T, H = null>(
  ctx: Context,
  personId: string,
  field: PersonalDataField,
  info: GraphQLResolveInfo,
  value: () => T | Promise<T>,
  hidden: H = null as H,
): Promise<T | H> {
  const access = await accessTo(ctx, personId);
  if (!access.visible) return hidden;
  const readerRole = personalDataReader(ctx.identity, personId);
  if (readerRole) {
    await ctx.accessLog.load({
      personId,
      field,
      readerRole,
      certifyingBodyId: access.certifyingBodyId,
      operationName: info.operation.name?.value ?? null,
      rootField: rootFieldOf(info),
    });
  }
  return value();
}
