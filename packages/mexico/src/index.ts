// Mexico's reference data and identifiers. Pure (zod, validate-rfc and curp only): a
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
export { curpCheckDigit, curpSchema, isValidCurp } from './curp';
