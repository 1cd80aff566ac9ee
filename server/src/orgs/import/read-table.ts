/**
 * Reads the first sheet of an XLSX workbook, or a CSV file, into rows of cell texts. CSV files from
 * Chinese offices are often saved by Excel in GB18030 (GBK): bytes that are not valid UTF-8 are
 * read as GB18030.
 */
import ExcelJS from 'exceljs';

export type TableFormat = 'csv' | 'xlsx';

/** Rows of cell texts; `rows[0]` is the first line of the file (the headings). */
export interface Table {
  rows: string[][];
}

/** Thrown when the file cannot be read at all (not the format it claims, damaged, too big). */
export class UnreadableFileError extends Error {
  override name = 'UnreadableFileError';
}

/** Most rows an import reads: a city has hundreds of units, not tens of thousands. */
export const MAX_IMPORT_ROWS = 5000;
const MAX_COLUMNS = 50;

export async function readTable(format: TableFormat, bytes: Buffer): Promise<Table> {
  const table = format === 'csv' ? readCsv(decodeText(bytes)) : await readXlsx(bytes);
  if (table.rows.length > MAX_IMPORT_ROWS + 1) throw new UnreadableFileError(`the file has ${table.rows.length - 1} rows; import at most ${MAX_IMPORT_ROWS} at a time`);
  return table;
}

function decodeText(bytes: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '');
  } catch {
    return new TextDecoder('gb18030').decode(bytes);
  }
}

/** RFC 4180: quoted fields may hold commas, quotes ("") and line breaks; CRLF or LF line ends. */
export function readCsv(text: string): Table {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
      continue;
    }
    if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
      if (row.length > MAX_COLUMNS) throw new UnreadableFileError(`line ${rows.length + 1} has more than ${MAX_COLUMNS} columns`);
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      if (rows.length > MAX_IMPORT_ROWS + 1) break;
    } else field += c;
  }
  if (quoted) throw new UnreadableFileError('the file ends inside a quoted field (a " is not closed)');
  if (field !== '' || row.length) rows.push([...row, field]);
  return { rows };
}

async function readXlsx(bytes: Buffer): Promise<Table> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch (error) {
    throw new UnreadableFileError('not a readable XLSX workbook (save it as .xlsx from Excel or WPS, or send CSV)', { cause: error });
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) throw new UnreadableFileError('the workbook has no sheet');
  if (sheet.rowCount > MAX_IMPORT_ROWS + 1) throw new UnreadableFileError(`the sheet has ${sheet.rowCount - 1} rows; import at most ${MAX_IMPORT_ROWS} at a time`);
  const rows: string[][] = [];
  const width = Math.min(sheet.columnCount, MAX_COLUMNS);
  for (let r = 1; r <= sheet.rowCount; r++) {
    const row = sheet.getRow(r);
    const cells: string[] = [];
    for (let c = 1; c <= width; c++) cells.push(cellText(row.getCell(c)));
    rows.push(cells);
  }
  return { rows };
}

/** The text a person sees in a cell: formulas by their result, rich text joined, numbers without exponent. */
function cellText(cell: ExcelJS.Cell): string {
  const value = cell.value;
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isInteger(value) ? BigInt(value).toString() : String(value);
  if (typeof value === 'object' && 'result' in value) return value.result === undefined || value.result === null ? '' : String(value.result);
  try {
    return cell.text ?? '';
  } catch {
    return '';
  }
}
