import { z } from 'zod';
import validateRfc from 'validate-rfc';

/**
 * RFC (Registro Federal de Contribuyentes, Mexico's tax id): 12 characters for a
 * legal entity, 13 for a person, with a valid date and verification digit
 * (checked by the maintained `validate-rfc`, which also normalises case and
 * strips separators). Parses to the normalised RFC.
 *
 * The generic RFCs for the general public (XAXX010101000) and for foreigners
 * (XEXX010101000) are shared by many taxpayers, so they identify nobody and are
 * refused.
 */
export const rfcSchema = z.string().transform((value, ctx) => {
  const result = validateRfc(value);
  if (!result.isValid || !result.rfc) {
    ctx.addIssue({
      code: 'custom',
      message:
        'is not a valid RFC (12 or 13 characters with a valid date and verification digit)',
    });
    return z.NEVER;
  }
  if (result.type === 'generic' || result.type === 'foreign') {
    ctx.addIssue({
      code: 'custom',
      message:
        "is a generic RFC shared by many taxpayers; give the organization's own RFC",
    });
    return z.NEVER;
  }
  return result.rfc;
});
