import { cacheHint } from '../src/subgraph-source';

// A subgraph's Cache-Control restricts the answer's cache policy as
// RemoteGraphQLDataSource read it (the gateway now makes its calls itself).
describe('cacheHint', () => {
  it('reads max-age and the scope', () => {
    expect(cacheHint('max-age=60, public')).toEqual({
      maxAge: 60,
      scope: 'PUBLIC',
    });
    expect(cacheHint(' private ,max-age = "30"')).toEqual({
      maxAge: 30,
      scope: 'PRIVATE',
    });
  });

  it('gives no max-age to an answer without one, or with a malformed one', () => {
    expect(cacheHint(null)).toEqual({ maxAge: 0 });
    expect(cacheHint('no-store')).toEqual({ maxAge: 0 });
    expect(cacheHint('max-age=-5')).toEqual({ maxAge: 0 });
  });

  it('takes public when both scopes are given, as Apollo did', () => {
    expect(cacheHint('private, public, max-age=5')).toEqual({
      maxAge: 5,
      scope: 'PUBLIC',
    });
  });
});
