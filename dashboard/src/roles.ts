import type { Role } from './types.ts';

/** The pages of the dashboard. */
export type PageKey = 'overview' | 'machines' | 'ledger' | 'deployment' | WorkbenchPageKey;

/** The unit workbench pages (软件, 授权状况, 问题, 年度报表, 提醒). */
type WorkbenchPageKey = 'software' | 'positions' | 'findings' | 'annualReturn' | 'alerts';

/** Which roles may use which page: a menu entry is shown only to these roles, and the route refuses others. */
const PAGE_ROLES: Record<PageKey, readonly Role[]> = {
  overview: ['bureau-admin', 'bureau-viewer', 'unit-admin', 'unit-viewer', 'inspector'],
  machines: ['bureau-admin', 'bureau-viewer', 'unit-admin', 'unit-viewer', 'inspector'],
  ledger: ['bureau-admin', 'bureau-viewer', 'unit-admin', 'unit-viewer', 'inspector'],
  // Enrolment tokens are written by admins only (server: writeAccess defaults to ADMIN_ROLES).
  deployment: ['bureau-admin', 'unit-admin'],
  // Workbench pages are read by every role in its scope; their write buttons follow canWrite.
  software: ['bureau-admin', 'bureau-viewer', 'unit-admin', 'unit-viewer', 'inspector'],
  positions: ['bureau-admin', 'bureau-viewer', 'unit-admin', 'unit-viewer', 'inspector'],
  findings: ['bureau-admin', 'bureau-viewer', 'unit-admin', 'unit-viewer', 'inspector'],
  annualReturn: ['bureau-admin', 'bureau-viewer', 'unit-admin', 'unit-viewer', 'inspector'],
  alerts: ['bureau-admin', 'bureau-viewer', 'unit-admin', 'unit-viewer', 'inspector'],
};

/** Whether a role may open a page. */
export function canUsePage(role: Role, page: PageKey): boolean {
  return PAGE_ROLES[page].includes(role);
}

/** Whether a role may change data (the server's ADMIN_ROLES). */
export function canWrite(role: Role): boolean {
  return role === 'bureau-admin' || role === 'unit-admin';
}

/** Whether a role sees the whole city (bureau) rather than one unit. */
export function isBureau(role: Role): boolean {
  return role === 'bureau-admin' || role === 'bureau-viewer';
}
