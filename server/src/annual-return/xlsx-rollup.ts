import ExcelJS from 'exceljs';
import { COLUMN_HEADINGS, FORM_TITLE } from './form.ts';
import { isCounted, type Rollup, type RollupTotals, type RollupUnit, type UnitReturnStatus } from './rollup.ts';

/** Status as the bureau reads it. */
export const STATUS_LABELS: Record<UnitReturnStatus, string> = {
  none: '未填报',
  draft: '草稿未报送',
  submitted: '已报送',
  accepted: '已通过',
  returned: '已退回待修改',
};

/** Headings of the roll-up sheet: who, then the form's six figure columns. */
export const ROLLUP_HEADINGS = ['区域', '行业', '单位名称', '状态', ...COLUMN_HEADINGS.slice(1)] as const;
export const ROLLUP_SHEETS = { summary: '汇总', notSubmitted: '未报送单位' } as const;
export const CITY_TOTAL_LABEL = '全市合计';
export const REGION_SUBTOTAL_SUFFIX = ' 小计';
export const SECTOR_SECTION_LABEL = '按行业小计';

const THIN = { style: 'thin' as const };
const BORDER = { top: THIN, left: THIN, bottom: THIN, right: THIN };

const totalsCells = (t: RollupTotals) => [t.staffCount, t.computers, t.windows, t.kylin, t.msOffice, t.wps];

function unitCells(unit: RollupUnit): Array<string | number | null> {
  const row = isCounted(unit) ? unit.row : null;
  return [unit.region ?? '', unit.sector ?? '', unit.unitName, STATUS_LABELS[unit.status], row?.staffCount ?? null, row?.computers ?? null, row?.windows ?? null, row?.kylin ?? null, row?.msOffice ?? null, row?.wps ?? null];
}

/**
 * The bureau's roll-up workbook: sheet 汇总 has one row per unit grouped by region with a subtotal
 * after each region, then the subtotals by sector and the city total (全市合计); sheet 未报送单位
 * lists the units with no submitted return. Only submitted and accepted returns are summed.
 */
export async function writeRollupXlsx(rollup: Rollup): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'zhengban';
  const sheet = workbook.addWorksheet(ROLLUP_SHEETS.summary, { pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 } });
  sheet.columns = [12, 14, 30, 12, 10, 10, 14, 14, 14, 16].map((width) => ({ width }));
  sheet.mergeCells('A1:J1');
  sheet.getCell('A1').value = `${rollup.year} 年度${FORM_TITLE}（汇总）`;
  sheet.getCell('A1').font = { size: 16, bold: true };
  sheet.getCell('A1').alignment = { horizontal: 'center' };
  const heading = sheet.addRow([...ROLLUP_HEADINGS]);
  heading.font = { bold: true };
  heading.alignment = { wrapText: true, horizontal: 'center', vertical: 'middle' };
  heading.height = 48;

  const bold: ExcelJS.Row[] = [heading];
  const regionOf = (u: RollupUnit) => u.region || '(未填)';
  for (const group of rollup.byRegion) {
    for (const unit of rollup.units.filter((u) => regionOf(u) === group.key)) sheet.addRow(unitCells(unit));
    bold.push(sheet.addRow([`${group.key}${REGION_SUBTOTAL_SUFFIX}`, '', '', `${group.totals.units} 家`, ...totalsCells(group.totals)]));
  }
  sheet.addRow([]);
  bold.push(sheet.addRow([SECTOR_SECTION_LABEL]));
  for (const group of rollup.bySector) sheet.addRow(['', group.key, '', `${group.totals.units} 家`, ...totalsCells(group.totals)]);
  sheet.addRow([]);
  bold.push(sheet.addRow([CITY_TOTAL_LABEL, '', '', `${rollup.city.units} 家`, ...totalsCells(rollup.city)]));
  for (const row of bold) row.font = { bold: true };
  sheet.eachRow((row, n) => {
    if (n > 1 && row.cellCount > 0) for (let col = 1; col <= 10; col++) row.getCell(col).border = BORDER;
  });
  sheet.views = [{ state: 'frozen', ySplit: 2 }];

  const missing = workbook.addWorksheet(ROLLUP_SHEETS.notSubmitted);
  missing.columns = [12, 14, 30, 14].map((width) => ({ width }));
  missing.addRow(['区域', '行业', '单位名称', '状态']).font = { bold: true };
  for (const unit of rollup.notSubmitted) missing.addRow([unit.region ?? '', unit.sector ?? '', unit.unitName, STATUS_LABELS[unit.status]]);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
