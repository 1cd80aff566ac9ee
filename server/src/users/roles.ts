/**
 * Which roles may be given by whom, and on which kind of org. Pure.
 *
 * - A bureau admin may give any role inside its subtree, its own level included.
 * - A unit admin may give only unit roles, inside its unit.
 * - Bureau roles (bureau-admin, bureau-viewer, inspector) belong to bureaus and zones; unit roles
 *   (unit-admin, unit-viewer) to units.
 */
import type { UserRole } from '../auth/viewer.ts';
import type { OrgKind } from '../orgs/queries.ts';

export const BUREAU_ROLES: readonly UserRole[] = ['bureau-admin', 'bureau-viewer', 'inspector'];
export const UNIT_ROLES: readonly UserRole[] = ['unit-admin', 'unit-viewer'];

/** Roles each role may give (always within its scope). */
const GRANTABLE: Record<UserRole, readonly UserRole[]> = {
  'bureau-admin': ['bureau-admin', 'bureau-viewer', 'inspector', 'unit-admin', 'unit-viewer'],
  'unit-admin': ['unit-admin', 'unit-viewer'],
  'bureau-viewer': [],
  'unit-viewer': [],
  inspector: [],
};

/** Why `granter` may not give `role` to someone in an org of `orgKind`, or undefined when it may. */
export function explainRoleRefusal(granter: UserRole, role: UserRole, orgKind: OrgKind): string | undefined {
  if (!GRANTABLE[granter].includes(role)) return `a ${granter} cannot give the role ${role} (it is above its own level)`;
  if (orgKind === 'unit' && BUREAU_ROLES.includes(role)) return `${role} is a bureau role: place the user in a bureau or zone, not a unit`;
  if (orgKind !== 'unit' && UNIT_ROLES.includes(role)) return `${role} is a unit role: place the user in a unit`;
  return undefined;
}
