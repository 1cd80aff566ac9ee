import ExcelJS from 'exceljs';
import t from 'tap';
import { COLUMN_HEADINGS, FORM_TITLE, REMARKS, type AnnualReturnForm } from '../../../server/src/annual-return/form.ts';
import { rollUpReturns, type RollupUnit } from '../../../server/src/annual-return/rollup.ts';
import { FORM_LAYOUT, writeAnnualReturnXlsx } from '../../../server/src/annual-return/xlsx-form.ts';
import { CITY_TOTAL_LABEL, ROLLUP_HEADINGS, ROLLUP_SHEETS, writeRollupXlsx } from '../../../server/src/annual-return/xlsx-rollup.ts';

const form: AnnualReturnForm = {
  header: { unitName: '岳阳市文化旅游广电局', head: '王主任', liaison: '李联络', contact: '0730-8889382', date: '2023-12-08' },
  previous: { year: 2022, staffCount: 58, computers: 61, windows: 50, kylin: 9, msOffice: 40, wps: 12 },
  current: { year: 2023, staffCount: 60, computers: 64, windows: 41, kylin: 21, msOffice: 45, wps: 30 },
};

async function readSheet(buffer: Buffer, name?: string) {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(buffer as unknown as ArrayBuffer);
  return name ? workbook.getWorksheet(name)! : workbook.worksheets[0]!;
}

t.test('the unit form reads back as the official layout, cell by cell', async (t) => {
  const sheet = await readSheet(await writeAnnualReturnXlsx(form));
  t.equal(sheet.getCell('A1').value, FORM_TITLE, 'title');
  t.equal(sheet.getCell('A2').value, '单位名称(盖章)：岳阳市文化旅游广电局');
  t.equal(sheet.getCell('D2').value, '主要负责人签字：', 'the signature is left for the pen');
  t.equal(sheet.getCell('F2').value, '联络员：李联络');
  t.equal(sheet.getCell('A3').value, '联系方式：0730-8889382');
  t.equal(sheet.getCell('F3').value, '2023 年 12 月 8 日');
  t.same(
    COLUMN_HEADINGS.map((_, i) => sheet.getRow(FORM_LAYOUT.headingRow).getCell(i + 1).value),
    ['年度', '工作人员总数', '计算机总数(台)', '安装 windows 操作系统的计算机总数(台)', '安装银河麒麟操作系统的计算机总数(台)', '已采购微软 office 办公软件总数(套)', '已采购金山 WPS office 办公软件总数(套)'],
    'column headings as printed',
  );
  const values = (n: number) => [1, 2, 3, 4, 5, 6, 7].map((c) => sheet.getRow(n).getCell(c).value);
  t.same(values(FORM_LAYOUT.previousRow), ['2022 年', 58, 61, 50, 9, 40, 12], 'previous year above');
  t.same(values(FORM_LAYOUT.currentRow), ['2023 年', 60, 64, 41, 21, 45, 30], 'current year below');
  t.equal(sheet.getCell('A7').value, '备注');
  t.equal(sheet.getCell('B7').value, REMARKS.join('\n'), 'both notes verbatim');
  const merges = (sheet.model as unknown as { merges: string[] }).merges;
  t.same([...merges].sort(), [...FORM_LAYOUT.merges].sort(), 'merged ranges');
  t.equal(sheet.pageSetup.paperSize, 9, 'A4');
  t.equal(sheet.pageSetup.orientation, 'portrait');
});

t.test('a form without a previous year or staff count leaves those cells blank', async (t) => {
  const sheet = await readSheet(await writeAnnualReturnXlsx({ ...form, previous: null, current: { ...form.current, staffCount: null } }));
  t.same([1, 2, 3].map((c) => sheet.getRow(FORM_LAYOUT.previousRow).getCell(c).value), ['2022 年', null, null]);
  t.equal(sheet.getRow(FORM_LAYOUT.currentRow).getCell(2).value, null);
});

const unit = (unitId: string, region: string, sector: string, status: RollupUnit['status'], computers: number): RollupUnit => ({
  unitId, unitName: `单位${unitId}`, region, sector, status,
  row: status === 'none' ? null : { year: 2023, staffCount: 10, computers, windows: computers - 1, kylin: 1, msOffice: 2, wps: 3 },
});

t.test('the roll-up sums submitted and accepted returns only, by region, by sector and for the city', async (t) => {
  const rollup = rollUpReturns(2023, [
    unit('1', '岳阳楼区', '党政机关', 'submitted', 10),
    unit('2', '岳阳楼区', '国有企业', 'accepted', 20),
    unit('3', '君山区', '党政机关', 'submitted', 5),
    unit('4', '君山区', '党政机关', 'draft', 99),
    unit('5', '君山区', '教育', 'returned', 99),
    unit('6', '云溪区', '教育', 'none', 0),
  ]);
  t.same(rollup.city, { units: 3, staffCount: 30, computers: 35, windows: 32, kylin: 3, msOffice: 6, wps: 9 });
  t.same(rollup.notSubmitted.map((u) => u.unitId).sort(), ['4', '5', '6']);
  t.same(Object.fromEntries(rollup.bySector.map((g) => [g.key, g.totals.computers])), { 党政机关: 15, 国有企业: 20, 教育: 0 });

  const summary = await readSheet(await writeRollupXlsx(rollup), ROLLUP_SHEETS.summary);
  t.same(ROLLUP_HEADINGS.map((_, i) => summary.getRow(2).getCell(i + 1).value), [...ROLLUP_HEADINGS]);
  const rows: unknown[][] = [];
  summary.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
  const find = (label: string) => rows.find((r) => r[0] === label);
  t.same(find('岳阳楼区 小计')?.slice(3), ['2 家', 20, 30, 28, 2, 4, 6], 'region subtotal');
  t.same(find(CITY_TOTAL_LABEL)?.slice(3), ['3 家', 30, 35, 32, 3, 6, 9], 'city total');
  t.ok(rows.find((r) => r[2] === '单位4' && r[3] === '草稿未报送' && r[5] === undefined), 'a draft is listed without numbers');
  const missing = await readSheet(await writeRollupXlsx(rollup), ROLLUP_SHEETS.notSubmitted);
  const names: unknown[] = [];
  missing.eachRow((row, n) => n > 1 && names.push(row.getCell(3).value));
  t.same(names.sort(), ['单位4', '单位5', '单位6']);
});
