import type { Role } from '@conecta/service-kit';

/** Who may change the directory and the catalog (README: Decisions). */
export const CAN_REGISTER_ORGANIZATION: readonly Role[] = [
  'admin',
  'broker',
  'committee_member',
];
export const CAN_REGISTER_SECTOR: readonly Role[] = ['admin'];
