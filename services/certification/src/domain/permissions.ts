import type { Role } from '@conecta/service-kit';

/** Who may register people: admins and certifying-body staff (README: Decisions). */
export const CAN_REGISTER_PERSON: readonly Role[] = ['admin', 'certifier'];
/** Who manages the certifying network: bodies, staff, fees, facilities, accreditations. */
export const CAN_MANAGE_NETWORK: readonly Role[] = ['admin'];
/** Who imports a legacy registry's certificates: admins only, and each import is audited. */
export const CAN_IMPORT_HISTORY: readonly Role[] = ['admin'];
