/** Chinese and English names of org kinds and roles, and which roles a role may give (server/src/users/roles.ts). */
import type { Role } from '../../types.ts';
import type { OrgKind } from './admin-types.ts';

type Names = Record<string, [string, string]>;

export const ORG_KIND_NAMES: Names = {
  bureau: ['主管部门', 'Bureau'],
  zone: ['园区', 'Zone'],
  unit: ['单位', 'Unit'],
};

export const ROLE_NAMES: Names = {
  'bureau-admin': ['主管部门管理员', 'Bureau admin'],
  'bureau-viewer': ['主管部门查看员', 'Bureau viewer'],
  inspector: ['检查员', 'Inspector'],
  'unit-admin': ['单位管理员', 'Unit admin'],
  'unit-viewer': ['单位查看员', 'Unit viewer'],
};

/** The same rule as the server's GRANTABLE: a bureau admin gives any role, a unit admin unit roles. */
const GRANTABLE: Record<Role, readonly Role[]> = {
  'bureau-admin': ['bureau-admin', 'bureau-viewer', 'inspector', 'unit-admin', 'unit-viewer'],
  'unit-admin': ['unit-admin', 'unit-viewer'],
  'bureau-viewer': [],
  'unit-viewer': [],
  inspector: [],
};
const UNIT_ROLES: readonly Role[] = ['unit-admin', 'unit-viewer'];

/** Roles `granter` may give to someone in an org of `kind` (bureau roles in bureaus and zones, unit roles in units). */
export function grantableRoles(granter: Role, kind: OrgKind | undefined): Role[] {
  return GRANTABLE[granter].filter((role) => !kind || (kind === 'unit') === UNIT_ROLES.includes(role));
}

/** Which kinds may be created under an org of this kind (server/src/orgs/service.ts). */
export function childKinds(parent: OrgKind): OrgKind[] {
  return parent === 'unit' ? ['unit'] : ['unit', 'bureau', 'zone'];
}

/** Action prefixes of the audit log, for its filter. */
export const AUDIT_ACTION_GROUPS: Names = {
  'org.': ['组织机构', 'Organisations'],
  'user.': ['人员', 'People'],
  'enrollment-token.': ['注册令牌', 'Enrolment tokens'],
  'agent.': ['客户端', 'Agents'],
  'machine.': ['计算机', 'Computers'],
  'licence.': ['授权台账', 'Licence ledger'],
  'attachment.': ['台账附件', 'Ledger attachments'],
  'catalog.': ['软件识别规则', 'Recognition rules'],
  'compliance.': ['合规设置', 'Compliance settings'],
  'annual-return.': ['年度报表', 'Annual returns'],
  'campaign.': ['检查活动', 'Inspection campaigns'],
  'alert.': ['提醒', 'Alerts'],
};

/** Chinese names of the audited actions; an unknown one shows its code. */
export const AUDIT_ACTION_NAMES: Names = {
  'org.create': ['新建机构', 'Org created'],
  'org.update': ['修改机构', 'Org changed'],
  'org.move': ['移动机构', 'Org moved'],
  'org.delete': ['删除机构', 'Org deleted'],
  'org.import': ['导入单位名单', 'Units imported'],
  'user.create': ['新建用户', 'User created'],
  'user.update': ['修改用户', 'User changed'],
  'user.password-reset': ['重置密码', 'Password reset'],
  'user.password-changed': ['修改密码', 'Password changed'],
  'enrollment-token.create': ['创建注册令牌', 'Enrolment token created'],
  'enrollment-token.revoke': ['撤销注册令牌', 'Enrolment token revoked'],
  'agent.revoke': ['吊销客户端', 'Agent revoked'],
  'agent.rotate-secret': ['更换客户端密钥', 'Agent secret rotated'],
  'machine.move': ['移动计算机', 'Computer moved'],
  'machine.register': ['登记计算机', 'Computer registered'],
  'machine.import': ['导入计算机', 'Computers imported'],
  'machine.retire': ['计算机报废/停用', 'Computer retired'],
  'machine.restore': ['计算机恢复使用', 'Computer restored'],
  'licence.created': ['登记授权', 'Licence recorded'],
  'licence.updated': ['修改授权', 'Licence changed'],
  'licence.deleted': ['删除授权', 'Licence deleted'],
  'licence.imported': ['导入台账', 'Ledger imported'],
  'attachment.added': ['上传附件', 'Attachment added'],
  'catalog.rule-added': ['新增识别规则', 'Recognition rule added'],
  'compliance.settings-changed': ['修改合规设置', 'Compliance settings changed'],
  'annual-return.submit': ['报送年度报表', 'Annual return submitted'],
  'campaign.create': ['新建检查活动', 'Campaign created'],
  'campaign.update': ['修改检查活动', 'Campaign changed'],
  'alert.acknowledged': ['确认提醒', 'Alert acknowledged'],
};
