import { idempotencyFrom, keyForFetch } from '../src/idempotency';

// Which of a query plan's fetches carry the client's Idempotency-Key, and
// which keys the gateway accepts. End to end (a retry through the gateway):
// gateway-e2e.test.ts.
describe('which subgraph fetches carry the key', () => {
  const mutation = 'mutation { registerOrganization(input: $i) { id } }';
  const entities =
    'query ($r: [_Any!]!) { _entities(representations: $r) { __typename } }';

  it('forwards the key to mutation fetches only, numbering the later ones to the same subgraph', () => {
    const state = idempotencyFrom('k-1')!;

    expect(keyForFetch(state, 'committees', mutation)).toBe('k-1');
    expect(keyForFetch(state, 'certification', entities)).toBeUndefined();
    expect(keyForFetch(state, 'standards', mutation)).toBe('k-1');
    expect(keyForFetch(state, 'committees', mutation)).toBe('k-1 2');
  });

  it('accepts 1 to 255 visible ASCII characters', () => {
    expect(idempotencyFrom(undefined)).toBeUndefined();
    expect(idempotencyFrom('x'.repeat(255))?.key).toHaveLength(255);
    for (const bad of ['', 'x'.repeat(256), 'with space', 'ñandú'])
      expect(() => idempotencyFrom(bad)).toThrow(/Idempotency-Key/);
  });
});
