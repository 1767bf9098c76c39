// negotiator (jshttp, the content negotiation under express's req.accepts*)
// ships no types: the one method this package calls.
declare module 'negotiator' {
  class Negotiator {
    constructor(request: {
      headers: Record<string, string | string[] | undefined>;
    });
    /** The provided languages the request accepts, most preferred first. */
    languages(available?: string[]): string[];
  }
  export = Negotiator;
}
