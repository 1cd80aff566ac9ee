/**
 * Turns the rows of an import file into units, or into problems per row and column, in Chinese
 * and English. Pure: no database; existing units are looked at by the import service.
 */
import { z } from 'zod';
import { LineText } from '../../routes/schemas.ts';
import type { Bilingual } from '../credit-code.ts';
import { CreditCode, ExpectedMachines, OrgName, Phone, Sector, ORG_FIELD_LENGTH } from '../fields.ts';
import type { OrgFieldValues } from '../fields.ts';
import type { Table } from './read-table.ts';

type Field = keyof OrgFieldValues;

/** Column headings accepted for each field: the Chinese of the bureaus' sheets, and English. */
export const COLUMN_HEADINGS: Record<Field, { zh: string; accepted: string[] }> = {
  name: { zh: '单位名称', accepted: ['单位名称', '名称', 'name', 'unit name'] },
  creditCode: { zh: '统一社会信用代码', accepted: ['统一社会信用代码', '信用代码', 'credit code', 'creditcode', 'uscc'] },
  sector: { zh: '行业', accepted: ['行业', '所属行业', 'sector'] },
  region: { zh: '所属地区', accepted: ['所属地区', '地区', '所属区县', 'region'] },
  head: { zh: '主要负责人', accepted: ['主要负责人', '负责人', 'head'] },
  liaison: { zh: '联络员', accepted: ['联络员', 'liaison'] },
  phone: { zh: '联系电话', accepted: ['联系电话', '电话', '联系方式', 'phone', 'telephone'] },
  expectedMachines: { zh: '计算机台数', accepted: ['计算机台数', '计算机数量', '计算机数', '终端数量', 'computers', 'expected machines'] },
};
const REQUIRED: Field[] = ['name', 'creditCode', 'sector'];

/** One problem of the file: row 1 is the heading row, as in the spreadsheet. */
export interface ImportProblem {
  row: number;
  /** The column heading (Chinese), or null for a problem of the whole row or file. */
  column: string | null;
  message: Bilingual;
}

export interface UnitRow {
  row: number;
  unit: OrgFieldValues & { creditCode: string; sector: NonNullable<OrgFieldValues['sector']> };
}

const normaliseHeading = (text: string) => text.replace(/[\s\u3000*＊:：()（）]/g, '').toLowerCase();

/** Which field each column holds, and the problems with the heading row. */
function mapColumns(headings: string[]): { columns: (Field | undefined)[]; problems: ImportProblem[] } {
  const problems: ImportProblem[] = [];
  const columns = headings.map((heading) => {
    const key = normaliseHeading(heading);
    return (Object.keys(COLUMN_HEADINGS) as Field[]).find((field) => COLUMN_HEADINGS[field].accepted.some((a) => normaliseHeading(a) === key));
  });
  for (const field of Object.keys(COLUMN_HEADINGS) as Field[]) {
    const at = columns.filter((c) => c === field).length;
    const zh = COLUMN_HEADINGS[field].zh;
    if (at > 1) problems.push({ row: 1, column: zh, message: { zh: `“${zh}”列出现了${at}次`, en: `the column ${zh} appears ${at} times` } });
    if (at === 0 && REQUIRED.includes(field)) {
      problems.push({ row: 1, column: zh, message: { zh: `缺少“${zh}”列`, en: `the column ${zh} (${field}) is missing from the heading row` } });
    }
  }
  return { columns, problems };
}

const plain = (max: number) => LineText.max(max, `at most ${max} characters`);
const FIELD_SCHEMAS: Record<Field, z.ZodType> = {
  name: OrgName,
  creditCode: CreditCode,
  sector: Sector,
  region: plain(ORG_FIELD_LENGTH.region),
  head: plain(ORG_FIELD_LENGTH.head),
  liaison: plain(ORG_FIELD_LENGTH.liaison),
  phone: Phone,
  expectedMachines: z
    .string()
    .regex(/^\d{1,7}$/, 'must be a whole number')
    .transform(Number)
    .pipe(ExpectedMachines),
};

/** Translations of the problems zod reports for one cell (zod's own messages are English). */
function cellProblem(field: Field, value: string, english: string): Bilingual {
  const heading = COLUMN_HEADINGS[field].zh;
  if (field === 'creditCode') {
    const [en, zh] = english.split(' | ');
    return { zh: zh ?? '统一社会信用代码无效', en: en! };
  }
  if (field === 'sector') return { zh: `“${value}”不是有效的行业`, en: english };
  if (field === 'phone') return { zh: '联系电话只能包含数字、空格、+ - ( ) 及分机号（转123）', en: english };
  if (field === 'expectedMachines') return { zh: `“${heading}”应为 0 到 1000000 之间的整数`, en: `${field}: ${english}` };
  if (/at most/.test(english)) return { zh: `“${heading}”过长`, en: `${field}: ${english}` };
  return { zh: `“${heading}”含有控制字符或无效字符`, en: `${field}: ${english}` };
}

/** Parses every data row; rows that are entirely blank are skipped (spreadsheets often end with some). */
export function parseUnitRows(table: Table): { units: UnitRow[]; problems: ImportProblem[] } {
  const [headings = [], ...data] = table.rows;
  const { columns, problems } = mapColumns(headings);
  if (problems.length) return { units: [], problems };
  if (data.every((cells) => cells.every((c) => c.trim() === ''))) {
    return { units: [], problems: [{ row: 2, column: null, message: { zh: '文件中没有单位数据', en: 'the file has no unit rows under the headings' } }] };
  }

  const units: UnitRow[] = [];
  const seenCodes = new Map<string, number>();
  data.forEach((cells, index) => {
    const row = index + 2;
    if (cells.every((c) => c.trim() === '')) return;
    const raw: Partial<Record<Field, string>> = {};
    columns.forEach((field, i) => {
      if (field) raw[field] = (cells[i] ?? '').trim();
    });
    const unit: Record<string, unknown> = {};
    let rowOk = true;
    for (const field of Object.keys(COLUMN_HEADINGS) as Field[]) {
      // A list without the count column must not erase the counts units entered themselves.
      if (field === 'expectedMachines' && !columns.includes(field)) continue;
      const value = raw[field] ?? '';
      const heading = COLUMN_HEADINGS[field].zh;
      if (value === '') {
        if (REQUIRED.includes(field)) {
          problems.push({ row, column: heading, message: { zh: `“${heading}”不能为空`, en: `${field} is empty` } });
          rowOk = false;
        }
        unit[field] = null;
        continue;
      }
      const parsed = FIELD_SCHEMAS[field].safeParse(value);
      if (!parsed.success) {
        problems.push({ row, column: heading, message: cellProblem(field, value, parsed.error.issues[0]?.message ?? 'invalid') });
        rowOk = false;
        continue;
      }
      unit[field] = parsed.data;
    }
    if (!rowOk) return;
    const code = unit.creditCode as string;
    const first = seenCodes.get(code);
    if (first) {
      problems.push({ row, column: COLUMN_HEADINGS.creditCode.zh, message: { zh: `与第${first}行的统一社会信用代码重复`, en: `the same credit code as row ${first}` } });
      return;
    }
    seenCodes.set(code, row);
    units.push({ row, unit: unit as UnitRow['unit'] });
  });
  return { units, problems };
}
