import ExcelJS from 'exceljs';
import type { AuditRow } from './queries.ts';

/** Column headings of the export, Chinese first (the people who read it), English after. */
const COLUMNS: { header: string; width: number; value: (row: AuditRow) => string | number }[] = [
  { header: '编号 id', width: 10, value: (r) => r.id },
  { header: '时间 time', width: 26, value: (r) => r.at.toISOString() },
  { header: '操作人 user', width: 16, value: (r) => r.username },
  { header: '来源地址 ip', width: 18, value: (r) => r.ip ?? '' },
  { header: '操作 action', width: 22, value: (r) => r.action },
  { header: '对象类型 target type', width: 18, value: (r) => r.targetType },
  { header: '对象 target id', width: 38, value: (r) => r.targetId ?? '' },
  { header: '单位 org', width: 24, value: (r) => r.orgName ?? r.orgId ?? '' },
  { header: '变更前 before', width: 50, value: (r) => (r.before === null ? '' : JSON.stringify(r.before)) },
  { header: '变更后 after', width: 50, value: (r) => (r.after === null ? '' : JSON.stringify(r.after)) },
];

/**
 * A cell as text a spreadsheet will not run: values starting with = + - @ (or a tab/CR that
 * spreadsheets skip) are formulas to Excel, so they get a leading apostrophe (CSV injection).
 */
function inertText(value: string | number): string | number {
  if (typeof value === 'number') return value;
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** RFC 4180 CSV with a UTF-8 byte order mark, so Excel opens the Chinese text correctly. */
export function auditCsv(rows: AuditRow[]): string {
  const quote = (value: string | number) => {
    const text = String(inertText(value));
    return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
  };
  const lines = [COLUMNS.map((c) => quote(c.header)).join(',')];
  for (const row of rows) lines.push(COLUMNS.map((c) => quote(c.value(row))).join(','));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

/** An XLSX workbook with one sheet 审计日志, a frozen header row and a filter on it. */
export async function auditXlsx(rows: AuditRow[]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'zhengban';
  const sheet = workbook.addWorksheet('审计日志', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = COLUMNS.map((c) => ({ header: c.header, width: c.width }));
  sheet.getRow(1).font = { bold: true };
  for (const row of rows) sheet.addRow(COLUMNS.map((c) => inertText(c.value(row))));
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: COLUMNS.length } };
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
