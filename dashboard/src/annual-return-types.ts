/** Shapes of /api/annual-returns (server/src/annual-return/service.ts, rollup.ts, form.ts). */

export const FIGURE_KEYS = ['computers', 'windows', 'kylin', 'msOffice', 'wps'] as const;
export type FigureKey = (typeof FIGURE_KEYS)[number];

/** The form's headings, verbatim as printed (server/src/annual-return/form.ts). */
export const COLUMN_HEADINGS = ['年度', '工作人员总数', '计算机总数(台)', '安装 windows 操作系统的计算机总数(台)', '安装银河麒麟操作系统的计算机总数(台)', '已采购微软 office 办公软件总数(套)', '已采购金山 WPS office 办公软件总数(套)'] as const;
export const FORM_TITLE = '计算机设备及办公软件使用情况汇总表';
export const REMARKS = [
  '1. 此表数据采集必须准确无误，客观反映本单位计算机设备及其办公软件复制安装使用情况，为年度审计软件采购资金管理使用和软件资产管理情况提供依据；',
  '2. 此表必须由本单位主要负责人签字并加盖单位行政印章，同年度总结一并报送至市版权局。',
] as const;

export interface ReturnRow extends Record<FigureKey, number> {
  year: number;
  staffCount: number | null;
}

export interface FormHeader {
  unitName: string;
  head: string | null;
  liaison: string | null;
  contact: string | null;
  date: string | null;
}

export interface ReturnForm {
  header: FormHeader;
  previous: ReturnRow | null;
  current: ReturnRow;
}

export interface Excluded {
  retired: string[];
  virtual: string[];
  notYetKnown: string[];
}

export interface FilledDraft {
  year: number;
  asOf: string;
  figures: Record<FigureKey, number>;
  evidence: Record<FigureKey, string[]>;
  licenceSets: Record<string, number>;
  excluded: Excluded;
}

export type StoredStatus = 'submitted' | 'accepted' | 'returned';

export interface StoredVersion {
  id: string;
  orgId: string;
  year: number;
  version: number;
  status: StoredStatus;
  figures: Record<FigureKey, number>;
  evidence: { figures: Record<string, string[]>; machineHashes: Record<string, string | null>; licenceSets: Record<string, number>; excluded: Excluded };
  asOf: string;
  staffCount: number;
  unitName: string;
  head: string;
  liaison: string;
  contact: string;
  signedOn: string;
  returnReason: string | null;
  submittedAt: string;
  decidedAt: string | null;
}

export interface EvidenceMachine {
  hostname: string;
  osFamily: string | null;
  lastSeenAt: string | null;
}

export interface EvidenceLicence {
  productId: string;
  type: string;
  quantity: number;
  licenceCount: number | null;
  startsOn: string | null;
  endsOn: string | null;
  purchasedOn: string | null;
  contractNo: string | null;
}

export interface UnitReturn {
  orgId: string;
  year: number;
  status: 'draft' | StoredStatus;
  dueDate: string;
  draft: FilledDraft;
  form: ReturnForm;
  versions: StoredVersion[];
  labels: { machines: Record<string, EvidenceMachine>; licences: Record<string, EvidenceLicence> };
}

/** Where a unit stands in the roll-up; `none` = nothing submitted ever. */
export type RollupStatus = 'none' | 'draft' | StoredStatus;

export interface RollupUnit {
  unitId: string;
  unitName: string;
  region: string | null;
  sector: string | null;
  status: RollupStatus;
  row: ReturnRow | null;
}

export interface RollupTotals extends Record<FigureKey, number> {
  staffCount: number;
  units: number;
}

export interface Rollup {
  year: number;
  units: RollupUnit[];
  byRegion: Array<{ key: string; totals: RollupTotals }>;
  bySector: Array<{ key: string; totals: RollupTotals }>;
  city: RollupTotals;
  notSubmitted: RollupUnit[];
}

export interface Deadline {
  dueDate: string;
  daysLeft: number;
  overdue: boolean;
  remind: boolean;
}

/** Status names and colours, for tags. */
export const STATUS_NAMES: Record<string, [string, string, string]> = {
  none: ['未填报', 'Not started', 'default'],
  draft: ['草稿（未报送）', 'Draft (not submitted)', 'default'],
  submitted: ['已报送，待审核', 'Submitted, awaiting review', 'processing'],
  accepted: ['已接收', 'Accepted', 'success'],
  returned: ['已退回', 'Returned', 'error'],
};

/** The URL of an export of a unit's return. */
export function exportUrl(orgId: string, year: number, file: 'form.xlsx' | 'form.pdf' | 'summary.docx'): string {
  return `/api/annual-returns/units/${orgId}/${file}?year=${year}`;
}
