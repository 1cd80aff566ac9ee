import ExcelJS from 'exceljs';
import { COLUMN_HEADINGS, FORM_TITLE, HEADER_LABELS, REMARKS, REMARKS_LABEL, formatFormDate, rowCells, type AnnualReturnForm } from './form.ts';

/** Where things sit on the sheet (1-based rows), so tests and readers share one layout. */
export const FORM_LAYOUT = {
  titleRow: 1,
  headerRows: [2, 3],
  headingRow: 4,
  previousRow: 5,
  currentRow: 6,
  remarksRow: 7,
  /** Merged ranges, as exceljs reports them. */
  merges: ['A1:G1', 'A2:C2', 'D2:E2', 'F2:G2', 'A3:C3', 'D3:E3', 'F3:G3', 'B7:G7'],
} as const;

const THIN = { style: 'thin' as const };
const BORDER = { top: THIN, left: THIN, bottom: THIN, right: THIN };
const FONT = 'SimSun';

/**
 * The official form (计算机设备及办公软件使用情况汇总表) as an XLSX sheet: title, header lines,
 * the seven-column table with the previous and the current year, and the merged 备注 row; A4
 * portrait, fitted to one page, so printing the file gives the form a clerk recognises. The head's
 * signature stays blank: it is signed by hand on the printed form.
 */
export async function writeAnnualReturnXlsx(form: AnnualReturnForm): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'zhengban';
  const sheet = workbook.addWorksheet(`${form.current.year}年度`, {
    pageSetup: { paperSize: 9, orientation: 'portrait', fitToPage: true, fitToWidth: 1, fitToHeight: 1, horizontalCentered: true, margins: { left: 0.6, right: 0.6, top: 0.8, bottom: 0.8, header: 0.3, footer: 0.3 } },
  });
  sheet.columns = [10, 11, 11, 15, 15, 15, 17].map((width) => ({ width }));

  sheet.mergeCells('A1:G1');
  const title = sheet.getCell('A1');
  title.value = FORM_TITLE;
  title.font = { name: FONT, size: 18, bold: true };
  title.alignment = { horizontal: 'center', vertical: 'middle' };
  sheet.getRow(1).height = 36;

  const { header } = form;
  const headerCells: Array<[string, string]> = [
    ['A2:C2', `${HEADER_LABELS.unitName}：${header.unitName}`],
    ['D2:E2', `${HEADER_LABELS.head}：`],
    ['F2:G2', `${HEADER_LABELS.liaison}：${header.liaison ?? ''}`],
    ['A3:C3', `${HEADER_LABELS.contact}：${header.contact ?? ''}`],
    ['D3:E3', ''],
    ['F3:G3', formatFormDate(header.date)],
  ];
  for (const [range, text] of headerCells) {
    sheet.mergeCells(range);
    const cell = sheet.getCell(range.split(':')[0]!);
    cell.value = text;
    cell.font = { name: FONT, size: 11 };
    cell.alignment = { vertical: 'middle', horizontal: range.startsWith('F3') ? 'right' : 'left' };
  }
  sheet.getRow(2).height = 24;
  sheet.getRow(3).height = 24;

  const headings = sheet.getRow(FORM_LAYOUT.headingRow);
  headings.values = [...COLUMN_HEADINGS];
  headings.height = 60;
  const rows = [
    sheet.getRow(FORM_LAYOUT.previousRow),
    sheet.getRow(FORM_LAYOUT.currentRow),
  ];
  rows[0]!.values = rowCells(form.previous, form.current.year - 1);
  rows[1]!.values = rowCells(form.current, form.current.year);
  for (const row of [headings, ...rows]) {
    if (row !== headings) row.height = 28;
    row.eachCell({ includeEmpty: true }, (cell) => {
      cell.border = BORDER;
      cell.font = { name: FONT, size: 11, bold: row === headings };
      cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
    });
    for (let col = 1; col <= 7; col++) row.getCell(col).border = BORDER;
  }

  const remarks = sheet.getRow(FORM_LAYOUT.remarksRow);
  sheet.mergeCells('B7:G7');
  remarks.getCell(1).value = REMARKS_LABEL;
  remarks.getCell(2).value = REMARKS.join('\n');
  remarks.height = 90;
  for (let col = 1; col <= 7; col++) {
    const cell = remarks.getCell(col);
    cell.border = BORDER;
    cell.font = { name: FONT, size: 10.5 };
    cell.alignment = { vertical: 'middle', horizontal: col === 1 ? 'center' : 'left', wrapText: true };
  }
  sheet.pageSetup.printArea = 'A1:G7';
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
