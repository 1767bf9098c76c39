// Mexico's reference data and identifiers. Pure (zod and validate-rfc only): a
// service's domain/ and the event contracts both import it.
export {
  MEXICAN_STATES,
  STATE_CODES,
  isStateCode,
  stateCodeSchema,
  stateName,
} from './states';
export type { StateCode } from './states';
export { rfcSchema } from './rfc';
export { generateCompanyRfc } from './rfc-generator';
export {
  CURP_STATE_CODES,
  curpCheckDigit,
  curpSchema,
  generateCurp,
  isValidCurp,
} from './curp';
export type { CurpPerson } from './curp';
