import type { Role } from './types.ts';

/** The pages of the dashboard. */
export type PageKey = 'overview' | 'machines' | 'ledger' | 'deployment' | WorkbenchPageKey | AdminPageKey;

/** The admin pages (系统管理: 组织机构, 人员与角色, 审计日志, 设置). */
type AdminPageKey = 'adminOrgs' | 'adminUsers' | 'adminAudit' | 'adminSettings';

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
  // Admin pages follow the server's policies: the org tree is read by staff and written by admins
  // (unit admins: their unit's contacts and computer count); people are managed by admins; the
  // audit log is read by staff (STAFF_ROLES); settings are written by admins. Inspectors see none.
  adminOrgs: ['bureau-admin', 'bureau-viewer', 'unit-admin'],
  adminUsers: ['bureau-admin', 'unit-admin'],
  adminAudit: ['bureau-admin', 'bureau-viewer', 'unit-admin', 'unit-viewer'],
  adminSettings: ['bureau-admin', 'unit-admin'],
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
