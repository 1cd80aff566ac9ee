/**
 * Turns the rows of a machine list (XLSX or CSV, Chinese headings) into machines to register, or
 * into problems per row and column in Chinese and English. Pure: units and duplicates in the
 * database are looked at by the import service.
 */
import type { OsFamily } from '@zhengban/protocol';
import type { Bilingual } from '../../orgs/credit-code.ts';
import type { ImportProblem } from '../../orgs/import/unit-rows.ts';
import type { Table } from '../../orgs/import/read-table.ts';
import { RegisteredMachineFields, type RegisteredMachine } from '../fields.ts';

type Field = 'hostname' | 'osFamily' | 'assetTag' | 'serial' | 'department' | 'note' | 'creditCode';

/** Column headings accepted for each field: the Chinese of the units' asset sheets, and English. */
export const MACHINE_COLUMN_HEADINGS: Record<Field, { zh: string; accepted: string[] }> = {
  hostname: { zh: '计算机名称', accepted: ['计算机名称', '计算机名', '主机名', '设备名称', 'hostname', 'computer name', 'name'] },
  osFamily: { zh: '操作系统', accepted: ['操作系统', '系统', 'os', 'operating system'] },
  assetTag: { zh: '资产编号', accepted: ['资产编号', '资产编码', '资产标签', '固定资产编号', 'asset tag', 'asset number'] },
  serial: { zh: '序列号', accepted: ['序列号', '设备序列号', 'sn', 'serial', 'serial number'] },
  department: { zh: '使用部门', accepted: ['使用部门', '部门', 'department'] },
  note: { zh: '备注', accepted: ['备注', '说明', 'note', 'remark'] },
  creditCode: { zh: '单位统一社会信用代码', accepted: ['单位统一社会信用代码', '统一社会信用代码', '信用代码', 'credit code'] },
};
const FIELDS = Object.keys(MACHINE_COLUMN_HEADINGS) as Field[];

/** One machine of the file: row 1 is the heading row, as in the spreadsheet. */
export interface MachineRow {
  row: number;
  machine: RegisteredMachine;
  /** The unit's credit code when the row names one (a bureau importing for several units). */
  creditCode: string | null;
}

export type OsFamilyReading = { family: OsFamily | null } | { problem: Bilingual };

/**
 * The OS family a person wrote. Only 银河麒麟 is Kylin on the annual form: 中标麒麟 (NeoKylin) and
 * openKylin are other systems, so a bare “麒麟” is refused rather than guessed.
 */
export function readOsFamily(text: string): OsFamilyReading {
  const v = text.toLowerCase().replace(/[\s\u3000]/g, '');
  if (v === '' || v === '未知' || v === '无' || v === 'unknown' || v === '-' || v === '—') return { family: null };
  if (/neokylin|中标麒麟/.test(v)) return { family: 'neokylin' };
  if (/openkylin|开放麒麟/.test(v)) return { family: 'linux' };
  if (/银河麒麟|kylin/.test(v)) return { family: 'kylin' };
  if (/麒麟/.test(v)) return { problem: { zh: `“${text}”未写明是银河麒麟还是中标麒麟`, en: `"${text}": say whether it is Kylin (银河麒麟) or NeoKylin (中标麒麟)` } };
  if (/统信|uos/.test(v)) return { family: 'uos' };
  if (/deepin|深度/.test(v)) return { family: 'deepin' };
  if (/windows|^win\d*/.test(v)) return { family: 'windows' };
  if (/linux/.test(v)) return { family: 'linux' };
  return { problem: { zh: `无法识别的操作系统“${text}”（可填 Windows、银河麒麟、统信UOS、中标麒麟、深度Deepin、其他Linux 或留空）`, en: `unknown operating system "${text}" (Windows, Kylin, UOS, NeoKylin, Deepin, Linux, or empty)` } };
}

const normaliseHeading = (text: string) => text.replace(/[\s\u3000*＊:：()（）]/g, '').toLowerCase();

function mapColumns(headings: string[]): { columns: (Field | undefined)[]; problems: ImportProblem[] } {
  const problems: ImportProblem[] = [];
  const columns = headings.map((heading) => {
    const key = normaliseHeading(heading);
    return FIELDS.find((field) => MACHINE_COLUMN_HEADINGS[field].accepted.some((a) => normaliseHeading(a) === key));
  });
  for (const field of FIELDS) {
    const at = columns.filter((c) => c === field).length;
    const zh = MACHINE_COLUMN_HEADINGS[field].zh;
    if (at > 1) problems.push({ row: 1, column: zh, message: { zh: `“${zh}”列出现了${at}次`, en: `the column ${zh} appears ${at} times` } });
    if (at === 0 && field === 'hostname') problems.push({ row: 1, column: zh, message: { zh: `缺少“${zh}”列`, en: `the column ${zh} (computer name) is missing from the heading row` } });
  }
  return { columns, problems };
}

/** The Chinese of what zod says about one cell. */
function cellProblem(field: Field, english: string): Bilingual {
  const heading = MACHINE_COLUMN_HEADINGS[field].zh;
  if (/at most/.test(english)) return { zh: `“${heading}”过长`, en: `${field}: ${english}` };
  if (/empty/.test(english)) return { zh: `“${heading}”不能为空`, en: `${field}: ${english}` };
  return { zh: `“${heading}”含有控制字符或无效字符`, en: `${field}: ${english}` };
}

/** Parses every data row; rows that are entirely blank are skipped. */
export function parseMachineRows(table: Table): { machines: MachineRow[]; problems: ImportProblem[] } {
  const [headings = [], ...data] = table.rows;
  const { columns, problems } = mapColumns(headings);
  if (problems.length) return { machines: [], problems };
  if (data.every((cells) => cells.every((c) => c.trim() === ''))) {
    return { machines: [], problems: [{ row: 2, column: null, message: { zh: '文件中没有计算机数据', en: 'the file has no machine rows under the headings' } }] };
  }
  const machines: MachineRow[] = [];
  data.forEach((cells, index) => {
    const row = index + 2;
    if (cells.every((c) => c.trim() === '')) return;
    const raw: Partial<Record<Field, string>> = {};
    columns.forEach((field, i) => {
      if (field) raw[field] = (cells[i] ?? '').trim();
    });
    let rowOk = true;
    const os = readOsFamily(raw.osFamily ?? '');
    if ('problem' in os) {
      problems.push({ row, column: MACHINE_COLUMN_HEADINGS.osFamily.zh, message: os.problem });
      rowOk = false;
    }
    const candidate = { hostname: raw.hostname ?? '', osFamily: 'family' in os ? os.family : null, assetTag: raw.assetTag, serial: raw.serial, department: raw.department, note: raw.note };
    const parsed = RegisteredMachineFields.safeParse(candidate);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const field = String(issue.path[0]) as Field;
        problems.push({ row, column: MACHINE_COLUMN_HEADINGS[field]?.zh ?? null, message: cellProblem(field, issue.message) });
      }
      rowOk = false;
    }
    if (rowOk && parsed.success) machines.push({ row, machine: parsed.data, creditCode: raw.creditCode ? raw.creditCode.toUpperCase() : null });
  });
  return { machines, problems };
}

/** Rows that repeat an asset tag or serial of an earlier row for the same unit. */
export function findRepeatedRows(rows: ReadonlyArray<{ row: number; orgId: string; machine: Pick<RegisteredMachine, 'assetTag' | 'serial'> }>): ImportProblem[] {
  const problems: ImportProblem[] = [];
  const first = new Map<string, number>();
  for (const { row, orgId, machine } of rows) {
    for (const [field, value] of [['assetTag', machine.assetTag], ['serial', machine.serial]] as const) {
      if (!value) continue;
      const key = `${orgId}|${field}|${value}`;
      const earlier = first.get(key);
      const heading = MACHINE_COLUMN_HEADINGS[field].zh;
      if (earlier) problems.push({ row, column: heading, message: { zh: `与第${earlier}行的${heading}重复`, en: `the same ${field} as row ${earlier}` } });
      else first.set(key, row);
    }
  }
  return problems;
}
