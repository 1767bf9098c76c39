import { createEntityLoader } from '../../src/index';

interface Standard {
  id: string;
  code: string;
}

function standardMother(id: string): Standard {
  return { id, code: `EC${id.padStart(4, '0')}` };
}

describe('createEntityLoader', () => {
  it('batches N loads into one fetch and keeps key order, with null for missing ids', async () => {
    const fetchMany = jest.fn(async (ids: readonly string[]) =>
      // The store answers in its own order and without the unknown id.
      ids
        .filter((id) => id !== '404')
        .reverse()
        .map(standardMother),
    );
    const loader = createEntityLoader(fetchMany);
    const ids = ['1', '2', '404', '3', '2'];
    const results = await Promise.all(ids.map((id) => loader.load(id)));
    expect(fetchMany).toHaveBeenCalledTimes(1);
    expect(fetchMany).toHaveBeenCalledWith(['1', '2', '404', '3']);
    expect(results).toEqual([
      standardMother('1'),
      standardMother('2'),
      null,
      standardMother('3'),
      standardMother('2'),
    ]);
  });

  it('keys by a custom field', async () => {
    const loader = createEntityLoader(
      async (codes: readonly string[]) =>
        codes.map((code) => ({ id: `id-${code}`, code })),
      (standard) => standard.code,
    );
    expect(await loader.load('EC0217')).toEqual({
      id: 'id-EC0217',
      code: 'EC0217',
    });
  });

  it('splits batches at maxBatchSize', async () => {
    const fetchMany = jest.fn(async (ids: readonly string[]) =>
      ids.map(standardMother),
    );
    const loader = createEntityLoader(fetchMany, undefined, {
      maxBatchSize: 2,
    });
    await loader.loadMany(['1', '2', '3']);
    expect(fetchMany).toHaveBeenCalledTimes(2);
  });
});
