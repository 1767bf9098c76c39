import type { z } from 'zod';

/**
 * An event that does not satisfy the envelope or its contract. Producers get it
 * from `newEvent` (so nothing invalid is ever written); consumers get it from
 * `parseEvent` (and send the message to the DLQ as poison).
 */
export class InvalidEventError extends Error {
  override readonly name = 'InvalidEventError';
  /** Stable code for logs and DLQ headers. */
  readonly code: 'INVALID_EVENT' | 'UNKNOWN_EVENT';
  /** Offending fields as dotted paths (`data.taxId`), for logs and tests. */
  readonly fields: readonly string[];
  /** The envelope's `type`, when the envelope itself was valid. */
  readonly eventType: string | undefined;

  constructor(
    message: string,
    options: {
      code?: 'INVALID_EVENT' | 'UNKNOWN_EVENT';
      fields?: readonly string[];
      eventType?: string;
      cause?: unknown;
    } = {},
  ) {
    super(message, { cause: options.cause });
    this.code = options.code ?? 'INVALID_EVENT';
    this.fields = options.fields ?? [];
    this.eventType = options.eventType;
  }
}

/** Turns zod issues into `path: message` pairs rooted at `prefix`. */
export function describeIssues(
  issues: readonly z.core.$ZodIssue[],
  prefix: string,
): { fields: string[]; text: string } {
  const fields: string[] = [];
  const parts: string[] = [];
  for (const issue of issues) {
    const path = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
    fields.push(path || '(root)');
    parts.push(`${path || '(root)'}: ${issue.message}`);
  }
  return { fields, text: parts.join('; ') };
}
