/**
 * The annual return (年度报表): the seed's attachment 计算机设备及办公软件使用情况汇总表, field for
 * field. Headings, header labels and the two 备注 notes are kept verbatim as printed so every
 * export (XLSX, PDF, print) shows exactly what the bureau's clerk expects.
 */

/** Title of the official form (附件). */
export const FORM_TITLE = '计算机设备及办公软件使用情况汇总表';

/** Header line labels, in printed order; the date is written 年 月 日. */
export const HEADER_LABELS = {
  unitName: '单位名称(盖章)',
  head: '主要负责人签字',
  liaison: '联络员',
  contact: '联系方式',
} as const;

/** The table's column headings as printed (line breaks of the printed cells removed). */
export const COLUMN_HEADINGS = [
  '年度',
  '工作人员总数',
  '计算机总数(台)',
  '安装 windows 操作系统的计算机总数(台)',
  '安装银河麒麟操作系统的计算机总数(台)',
  '已采购微软 office 办公软件总数(套)',
  '已采购金山 WPS office 办公软件总数(套)',
] as const;

/** Label of the notes row. */
export const REMARKS_LABEL = '备注';

/** The two 备注 notes, verbatim. */
export const REMARKS = [
  '1. 此表数据采集必须准确无误，客观反映本单位计算机设备及其办公软件复制安装使用情况，为年度审计软件采购资金管理使用和软件资产管理情况提供依据；',
  '2. 此表必须由本单位主要负责人签字并加盖单位行政印章，同年度总结一并报送至市版权局。',
] as const;

/** The day returns are due (12-10): "于 12 月 10 日前报送". */
export const DUE_MONTH_DAY = '12-10';

/** Due date (YYYY-MM-DD) of the return for `year`. */
export function dueDateOf(year: number): string {
  return `${year}-${DUE_MONTH_DAY}`;
}

/** The figures the unit's machines and ledger give; the staff count is typed in. */
export interface ComputedFigures {
  /** 计算机总数(台) */
  computers: number;
  /** 安装 windows 操作系统的计算机总数(台) */
  windows: number;
  /** 安装银河麒麟操作系统的计算机总数(台) */
  kylin: number;
  /** 已采购微软 office 办公软件总数(套) */
  msOffice: number;
  /** 已采购金山 WPS office 办公软件总数(套) */
  wps: number;
}

/** The keys of the computed figures, in column order. */
export const FIGURE_KEYS = ['computers', 'windows', 'kylin', 'msOffice', 'wps'] as const satisfies readonly (keyof ComputedFigures)[];
export type FigureKey = (typeof FIGURE_KEYS)[number];

/** One row of the table: 年度 and the six figures. */
export interface AnnualReturnRow extends ComputedFigures {
  /** 年度 */
  year: number;
  /** 工作人员总数; null while not typed in. */
  staffCount: number | null;
}

/** The header lines of the form. */
export interface FormHeader {
  /** 单位名称(盖章) */
  unitName: string;
  /** 主要负责人 (who signs) */
  head: string | null;
  /** 联络员 */
  liaison: string | null;
  /** 联系方式 */
  contact: string | null;
  /** 年 月 日: YYYY-MM-DD, the date the form is signed; null = left blank for the pen. */
  date: string | null;
}

/** A whole form: header lines, the previous year's row beside the current one. */
export interface AnnualReturnForm {
  header: FormHeader;
  /** Last year's row (from last year's submitted return, else from history); null when unknown. */
  previous: AnnualReturnRow | null;
  current: AnnualReturnRow;
}

/** The values of one row in column order, as printed ("2023 年", numbers, blank for unknown). */
export function rowCells(row: AnnualReturnRow | null, year: number): Array<string | number | null> {
  return [
    `${year} 年`,
    row?.staffCount ?? null,
    row ? row.computers : null,
    row ? row.windows : null,
    row ? row.kylin : null,
    row ? row.msOffice : null,
    row ? row.wps : null,
  ];
}

/** "2023 年 12 月 8 日", or the blank "年 月 日" of the printed form. */
export function formatFormDate(date: string | null): string {
  if (!date) return '    年    月    日';
  const [y, m, d] = date.split('-').map(Number);
  return `${y} 年 ${m} 月 ${d} 日`;
}
