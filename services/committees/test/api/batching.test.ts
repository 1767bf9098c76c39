import { v7 as uuidv7 } from 'uuid';
import type { StateCode } from '@conecta/mexico';
import { requestCommandsAt } from '@conecta/test-kit';
import {
  committeeInputMother as input,
  organizationMother,
  sectorMother,
} from '../fixtures/mothers';
import {
  GQL,
  admin,
  council,
  publishedStandard,
  startCommittees,
  type RunningCommittees,
} from '../fixtures/service';

// Batching proved by what the database sees: the MongoDB commands one GraphQL
// request sends (service-kit counts them per request, `scope="request"` on
// GET /metrics, as gateway/bench does) are the same for 2 and for 10
// committees, organizations, sectors or standards. One query per item (N+1)
// would add 8 commands or more.

let running: RunningCommittees;
const client = () => running.client;

/** What one world of N committees is made of. */
interface World {
  state: StateCode;
  tag: string;
  sectorIds: string[];
  chamberIds: string[];
  committeeIds: string[];
  standardIds: string[];
}

/**
 * N REGIONAL committees working in `state`, committee i in sector i, each
 * INSTALLED with chamber i as attested chair, an expert from chamber i, and one
 * published standard for which a university is nominated. Names carry `tag`,
 * so a directory search finds exactly the N chambers.
 */
async function world(n: number, state: StateCode): Promise<World> {
  const tag = uuidv7().slice(-8);
  const w: World = {
    state,
    tag,
    sectorIds: [],
    chamberIds: [],
    committeeIds: [],
    standardIds: [],
  };
  const certifierId = (
    await client().ok(
      GQL.registerOrganization,
      { input: organizationMother.university() },
      admin,
    )
  ).registerOrganization.id;
  for (let i = 0; i < n; i += 1) {
    const sectorId = (
      await client().ok(
        GQL.registerSector,
        { input: sectorMother.productive({ name: `Sector ${tag} ${i}` }) },
        admin,
      )
    ).registerSector.id;
    const chamberId = (
      await client().ok(
        GQL.registerOrganization,
        { input: organizationMother.chamber({ name: `Cámara ${tag} ${i}` }) },
        admin,
      )
    ).registerOrganization.id;
    const { id } = (
      await client().ok(
        GQL.propose,
        { input: input.regional(sectorId, { states: [state] }) },
        admin,
      )
    ).proposeCommittee;
    await client().ok(
      GQL.addMember,
      { input: input.employerMember(id, chamberId) },
      admin,
    );
    await client().ok(
      GQL.appointChair,
      { input: { committeeId: id, organizationId: chamberId } },
      admin,
    );
    await client().ok(
      GQL.addExpert,
      { input: input.expert(id, { organizationId: chamberId }) },
      admin,
    );
    await client().ok(GQL.install, { id }, council);
    const standardId = await publishedStandard(running, id, sectorId);
    await client().ok(
      GQL.nominate,
      {
        input: { committeeId: id, standardId, organizationId: certifierId },
      },
      admin,
    );
    w.sectorIds.push(sectorId);
    w.chamberIds.push(chamberId);
    w.committeeIds.push(id);
    w.standardIds.push(standardId);
  }
  return w;
}

const requestCommands = () => requestCommandsAt(running.operatorUrl);

/** The commands one request sent, by name (nothing else calls the service meanwhile). */
async function commandsOf(
  query: string,
  variables: Record<string, unknown>,
): Promise<{ data: any; commands: Record<string, number> }> {
  const before = await requestCommands();
  const data = await client().ok(query, variables, admin);
  const after = await requestCommands();
  const commands = Object.fromEntries(
    Object.entries(after)
      .map(([name, n]) => [name, n - (before[name] ?? 0)] as const)
      .filter(([, n]) => n > 0),
  );
  return { data, commands };
}

const total = (commands: Record<string, number>) =>
  Object.values(commands).reduce((sum, n) => sum + n, 0);

let small: World;
let large: World;

beforeAll(async () => {
  running = await startCommittees('committee-batching');
  small = await world(2, 'MX-SON');
  large = await world(10, 'MX-SIN');
}, 180_000);

afterAll(async () => {
  await running?.stop();
});

const COMMITTEE_TREE = /* GraphQL */ `
  query ($filter: CommitteeFilter) {
    committees(filter: $filter) {
      name
      sector {
        name
        committees {
          id
        }
      }
      proposedBy {
        name
      }
      chair {
        organization {
          name
        }
      }
      members {
        organization {
          name
          committees {
            id
          }
        }
      }
      workingGroup {
        organization {
          name
        }
      }
      nominations {
        organization {
          name
        }
        committee {
          name
        }
        standard {
          id
          nominationCount
        }
      }
    }
  }
`;
const DIRECTORY_TREE = /* GraphQL */ `
  query ($search: String!) {
    organizations(filter: { search: $search }, first: 100) {
      nodes {
        name
        committees {
          name
          sector {
            name
          }
          members {
            organization {
              name
            }
          }
        }
      }
    }
  }
`;
const ENTITIES = /* GraphQL */ `
  query ($r: [_Any!]!) {
    _entities(representations: $r) {
      ... on Organization {
        name
        committees {
          name
        }
      }
      ... on Sector {
        name
        committees {
          name
          members {
            organization {
              name
            }
          }
        }
      }
      ... on Committee {
        name
        sector {
          name
        }
        members {
          organization {
            name
          }
        }
        nominations {
          organization {
            name
          }
        }
      }
      ... on CompetencyStandard {
        nominationCount
        nominations {
          organization {
            name
          }
          committee {
            name
          }
        }
      }
    }
  }
`;

const references = (typename: string, ids: string[]) => ({
  r: ids.map((id) => ({ __typename: typename, id })),
});

describe('database commands per request do not grow with the list', () => {
  it.each([
    [
      'committees with sector, members, chair, experts and nominations',
      COMMITTEE_TREE,
      (w: World) => ({ filter: { state: w.state } }),
      (data: any) => data.committees,
    ],
    [
      'the directory with each organization’s committees',
      DIRECTORY_TREE,
      (w: World) => ({ search: w.tag }),
      (data: any) => data.organizations.nodes,
    ],
    [
      'Organization references',
      ENTITIES,
      (w: World) => references('Organization', w.chamberIds),
      (data: any) => data._entities,
    ],
    [
      'Sector references with their committees',
      ENTITIES,
      (w: World) => references('Sector', w.sectorIds),
      (data: any) => data._entities,
    ],
    [
      'Committee references',
      ENTITIES,
      (w: World) => references('Committee', w.committeeIds),
      (data: any) => data._entities,
    ],
    [
      'CompetencyStandard references with their nominations',
      ENTITIES,
      (w: World) => references('CompetencyStandard', w.standardIds),
      (data: any) => data._entities,
    ],
  ] as const)(
    'resolves %s for 10 items with as many commands as for 2',
    async (_what, query, variables, items) => {
      const two = await commandsOf(query, variables(small));
      const ten = await commandsOf(query, variables(large));
      expect(items(two.data)).toHaveLength(2);
      expect(items(ten.data)).toHaveLength(10);
      // Every item resolved its nested lists (nothing was empty by accident).
      expect(JSON.stringify(items(ten.data))).not.toContain('[]');
      expect(total(two.commands)).toBeGreaterThan(0);
      expect(ten.commands).toEqual(two.commands);
    },
  );
});
