/**
 * Valid input for the routes of the route x role x scope matrix, by `METHOD url`. The matrix
 * fills every declared reference (path parameters, query and body fields) itself, with an id the
 * caller owns and then with ids of other units; a case supplies the rest of a VALID request, so that
 * the reference checks are what answers the foreign variants. A route that takes a body (or a
 * required query) needs a case here: the matrix fails for one that has none.
 */
import ExcelJS from 'exceljs';
import type { UserRole } from '../../../server/src/auth/viewer.ts';
import type { OrgKey, World } from './world.ts';
import { PASSWORD } from './world.ts';

export interface CaseContext {
  world: World;
  role: UserRole;
  /** An id the caller owns (in its scope) of a record kind: own('org'), own('machine'), ... */
  own(kind: string): string;
  orgs: Record<OrgKey, string>;
  /** A fresh suffix for unique names. */
  unique: string;
}

export interface MatrixCase {
  query?: (c: CaseContext) => Record<string, string>;
  body?: (c: CaseContext) => unknown;
  /** A raw body and its content type (file uploads). */
  raw?: (c: CaseContext) => Promise<{ contentType: string; payload: Buffer }> | { contentType: string; payload: Buffer };
  /** The route ends the caller's session: sign in again after it. */
  endsSession?: boolean;
  /** Answers are files the matrix cannot read for names (PDF, DOCX); their status and the data are still checked. */
  binary?: boolean;
}

const bureauOf = (c: CaseContext) => (c.role.startsWith('bureau') || c.role === 'inspector' ? c.orgs.A : c.orgs.A1);

async function emptyLedgerWorkbook(): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.addWorksheet('授权台账').addRow(['产品', '类型', '数量']);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

const csvBase64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

export const MATRIX_CASES: Record<string, MatrixCase> = {
  'POST /api/auth/login': { body: (c) => ({ username: c.world.usernames[c.role], password: PASSWORD }) },
  'POST /api/auth/logout': { endsSession: true },
  'POST /api/auth/password': { body: () => ({ currentPassword: 'not-the-password', newPassword: 'another-password-2' }) },
  'POST /agent/enroll': { body: () => ({ token: 'not-a-valid-enrolment-token', hostname: 'pc-matrix', platform: 'linux', agentVersion: '0.1.0' }) },

  'POST /api/orgs': { body: (c) => ({ parentId: bureauOf(c), kind: 'unit', name: `矩阵新单位${c.unique}`, sector: '教育' }) },
  'PATCH /api/orgs/:id': { body: () => ({ phone: '0730-8123456' }) },
  'POST /api/orgs/:id/move': { body: (c) => ({ parentId: c.orgs.A }) },
  'POST /api/orgs/:id/units/import/preview': { body: () => ({ format: 'csv', content: csvBase64('单位名称,统一社会信用代码,行业\n矩阵导入单位,91110000710925462X,教育\n') }) },
  'POST /api/orgs/:id/units/import': { body: () => ({ format: 'csv', content: csvBase64('单位名称,统一社会信用代码,行业\n矩阵导入单位,91110000710925462X,教育\n') }) },

  'POST /api/users': { body: (c) => ({ username: `matrix-${c.unique}`, displayName: '矩阵用户', role: 'unit-viewer', orgId: c.own('org') }) },
  'PATCH /api/users/:id': { body: () => ({ displayName: '改过的名字' }) },

  'POST /api/campaigns': { body: (c) => ({ orgId: bureauOf(c), name: `矩阵抽查${c.unique}`, kind: 'spot-check', unitIds: [c.own('org')], inspectorIds: [] }) },
  'PATCH /api/campaigns/:id': { body: () => ({ name: '甲区2026年普查' }) },

  'POST /api/enrollment-tokens': { body: (c) => ({ orgId: c.own('org'), label: `matrix ${c.unique}`, expiresInHours: 24, maxUses: 5 }) },
  'POST /api/machines/:id/move': { body: (c) => ({ orgId: c.own('org') }) },
  'PATCH /api/machines/:id': { body: () => ({ department: '矩阵科', note: '矩阵测试：改登记信息' }) },
  'POST /api/machines/:id/retire': { body: () => ({ reason: '矩阵测试：报废' }) },
  'POST /api/machines/:id/restore': { body: () => ({ reason: '矩阵测试：恢复使用' }) },
  'POST /api/machines/register': { body: (c) => ({ orgId: c.own('org'), hostname: `matrix-${c.unique}`, osFamily: 'windows', department: '矩阵科' }) },
  'POST /api/machines/import/preview': { body: (c) => ({ orgId: c.own('org'), format: 'csv', content: csvBase64('计算机名称,操作系统\n矩阵导入计算机,Windows\n') }) },
  'POST /api/machines/import': { body: (c) => ({ orgId: c.own('org'), format: 'csv', content: csvBase64('计算机名称,操作系统\n矩阵导入计算机,Windows\n') }) },

  'PUT /api/compliance/settings/:orgId': { body: () => ({ approvedKmsHosts: ['kms.a1.example.cn'] }) },
  'GET /api/positions/:orgId/detail': { query: () => ({ product: 'windows-10-pro' }) },
  'GET /api/catalog/installed/machines': { query: () => ({ product: 'windows-10-pro' }) },
  'POST /api/catalog/rules': { body: (c) => ({ name: `Matrix Helper ${c.unique}`, product: null, note: 'matrix test: ignore' }) },

  'POST /api/licences': { body: (c) => ({ orgId: c.own('org'), product: 'windows-10-pro', type: 'perpetual-device', quantity: 1 }) },
  'PUT /api/licences/:licenceId': { body: () => ({ product: 'windows-10-pro', type: 'perpetual-device', quantity: 3, contractNo: 'HT-A1' }) },
  'POST /api/licences/import': {
    query: (c) => ({ orgId: c.own('org') }),
    raw: async () => ({ contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', payload: await emptyLedgerWorkbook() }),
  },
  'POST /api/licences/:licenceId/attachments': {
    query: () => ({ fileName: 'matrix.pdf' }),
    raw: () => ({ contentType: 'application/pdf', payload: Buffer.from('%PDF-1.4 matrix') }),
  },

  'POST /api/annual-returns/units/:orgId/submit': { body: () => ({ staffCount: 41, head: '负责人', liaison: '联络员', contact: '0730-8888888', signedOn: '2026-11-21' }) },
  'POST /api/annual-returns/:returnId/return': { body: () => ({ reason: '计算机总数与台账不符' }) },
  'GET /api/annual-returns/units/:orgId/form.pdf': { binary: true },
  'GET /api/annual-returns/units/:orgId/summary.docx': { binary: true },
};
