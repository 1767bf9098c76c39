import { z } from 'zod';
import {
  InvalidEventError,
  SectorRegisteredV1,
  createEventRegistry,
  defineEvent,
  defineUpcaster,
  newEvent,
} from '../../src';
import { committeesMother } from '../fixtures/committeesMother';

// A type with three versions, as a producer may evolve it.
const renamedV1 = defineEvent({
  type: 'committees.SectorRenamed',
  version: 1,
  description: 'test contract: the new name',
  data: z.object({ name: z.string() }),
});
const renamedV2 = defineEvent({
  type: 'committees.SectorRenamed',
  version: 2,
  description: 'test contract: new and previous name',
  data: z.object({ name: z.string(), previousName: z.string() }),
});
const renamedV3 = defineEvent({
  type: 'committees.SectorRenamed',
  version: 3,
  description: 'test contract: the names in a sub-document',
  data: z.object({ names: z.object({ now: z.string(), before: z.string() }) }),
});

describe('a consumer reading a newer version than it knows', () => {
  const v1Only = createEventRegistry([SectorRegisteredV1]);

  it('reads it as the newest version it knows: its fields validated, unknown fields dropped', () => {
    const v1 = committeesMother.sectorRegistered();
    const v2 = {
      ...v1,
      version: 2,
      data: { ...v1.data, isic: '6201', ceiling: { headcount: 40 } },
    };
    const read = v1Only.parse(JSON.stringify(v2));
    expect(read.version).toBe(1);
    expect(read.data).toEqual(v1.data);
    expect(read).toMatchObject({ id: v1.id, subject: v1.subject });
  });

  it('still refuses a newer version that breaks the fields it knows', () => {
    const v1 = committeesMother.sectorRegistered();
    const broken = { ...v1, version: 2, data: { ...v1.data, kind: 'MINING' } };
    expect(() => v1Only.parse(broken)).toThrow(InvalidEventError);
    expect(() => v1Only.parse(broken)).toThrow(
      /committees\.SectorRegistered v2 \(read as v1\): data\.kind/,
    );
    const { code: _code, ...missing } = v1.data;
    expect(() => v1Only.parse({ ...v1, version: 3, data: missing })).toThrow(
      /data\.code/,
    );
  });

  it('reads a version between two known ones as the older of the two', () => {
    const registry = createEventRegistry([renamedV1, renamedV3]);
    const v2 = newEvent(renamedV2, {
      subject: 's-1',
      data: { name: 'TIC', previousName: 'TI' },
    });
    expect(registry.parse(v2)).toMatchObject({
      version: 1,
      data: { name: 'TIC' },
    });
  });
});

describe('upcasting older versions', () => {
  const v1ToV2 = defineUpcaster(renamedV1, renamedV2, (data) => ({
    name: data.name,
    previousName: '(unknown)',
  }));
  const v2ToV3 = defineUpcaster(renamedV2, renamedV3, (data) => ({
    names: { now: data.name, before: data.previousName },
  }));
  const registry = createEventRegistry([renamedV1, renamedV2, renamedV3], {
    upcasters: [v1ToV2, v2ToV3],
  });

  it('delivers an old event in the newest shape, step by step', () => {
    const old = newEvent(renamedV1, { subject: 's-1', data: { name: 'TI' } });
    expect(registry.parse(JSON.stringify(old))).toMatchObject({
      id: old.id,
      version: 3,
      data: { names: { now: 'TI', before: '(unknown)' } },
    });
    const v2 = newEvent(renamedV2, {
      subject: 's-1',
      data: { name: 'TIC', previousName: 'TI' },
    });
    expect(registry.parse(v2).data).toEqual({
      names: { now: 'TIC', before: 'TI' },
    });
  });

  it('validates the old event before upcasting and the result after', () => {
    const old = newEvent(renamedV1, { subject: 's-1', data: { name: 'TI' } });
    expect(() =>
      registry.parse({ ...old, data: {} as { name: string } }),
    ).toThrow(/SectorRenamed v1: data\.name/);
    const lying = createEventRegistry([renamedV1, renamedV2], {
      upcasters: [
        defineUpcaster(renamedV1, renamedV2, (data) => ({
          name: data.name,
          previousName: 7 as unknown as string,
        })),
      ],
    });
    expect(() => lying.parse(old)).toThrow(
      /v1 upcast to v2: data\.previousName/,
    );
  });

  it('upcasts a version it keeps no schema for when an upcaster starts there', () => {
    const withoutV1 = createEventRegistry([renamedV2], {
      upcasters: [v1ToV2],
    });
    const old = newEvent(renamedV1, { subject: 's-1', data: { name: 'TI' } });
    expect(withoutV1.parse(old)).toMatchObject({
      version: 2,
      data: { name: 'TI', previousName: '(unknown)' },
    });
  });

  it('refuses upcasters that go backwards, twice from one version, or to an unknown version', () => {
    expect(() =>
      defineUpcaster(renamedV2, renamedV1, () => ({ name: '' })),
    ).toThrow(/older to a newer/);
    expect(() =>
      defineUpcaster(SectorRegisteredV1, renamedV2, () => ({
        name: '',
        previousName: '',
      })),
    ).toThrow(/older to a newer/);
    expect(() =>
      createEventRegistry([renamedV1, renamedV2], {
        upcasters: [v1ToV2, v1ToV2],
      }),
    ).toThrow(/Two upcasters/);
    expect(() =>
      createEventRegistry([renamedV1], { upcasters: [v1ToV2] }),
    ).toThrow(/no contract committees\.SectorRenamed@v2/);
  });
});
