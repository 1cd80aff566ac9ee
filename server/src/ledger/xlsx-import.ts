import ExcelJS from 'exceljs';
import type { RuleSet } from '../catalog/types.ts';
import { LICENCE_TYPES } from '../compliance/licence-position.ts';
import { LicenceFields, type LicenceProblem } from './licence-input.ts';

/**
 * Reading a ledger spreadsheet (授权台账导入). The first sheet's first row names the columns,
 * in Chinese or English; every later non-empty row is one licence. Problems are reported per row
 * and field; the caller imports all rows or none.
 */

/** Header text (lower case, spaces removed) -> field. */
const COLUMNS: Record<string, keyof LicenceFields | 'amountYuan'> = {
  产品: 'product', 产品名称: 'product', 软件: 'product', product: 'product', productid: 'product',
  授权类型: 'type', 类型: 'type', type: 'type', licencetype: 'type',
  '数量(套)': 'quantity', 数量: 'quantity', 套数: 'quantity', quantity: 'quantity',
  授权数: 'licenceCount', 许可数: 'licenceCount', licencecount: 'licenceCount', licences: 'licenceCount',
  开始日期: 'startsOn', 生效日期: 'startsOn', startson: 'startsOn', start: 'startsOn',
  结束日期: 'endsOn', 到期日期: 'endsOn', endson: 'endsOn', end: 'endsOn',
  采购日期: 'purchasedOn', 购买日期: 'purchasedOn', purchasedon: 'purchasedOn',
  合同号: 'contractNo', 合同编号: 'contractNo', contractno: 'contractNo', contract: 'contractNo',
  发票号: 'invoiceNo', 发票号码: 'invoiceNo', invoiceno: 'invoiceNo', invoice: 'invoiceNo',
  供应商: 'supplier', supplier: 'supplier',
  '金额(元)': 'amountYuan', 金额: 'amountYuan', amount: 'amountYuan', amountyuan: 'amountYuan',
  备注: 'note', note: 'note',
};

/** Licence types by their Chinese names too. */
const TYPE_NAMES: Record<string, (typeof LICENCE_TYPES)[number]> = {
  永久授权: 'perpetual-device', 永久: 'perpetual-device', 按设备永久: 'perpetual-device',
  订阅: 'subscription', 订阅授权: 'subscription',
  oem: 'oem', 预装: 'oem', 随机: 'oem',
  批量: 'volume', 批量授权: 'volume', 网络版: 'volume', 批量许可: 'volume',
  站点: 'site', 站点授权: 'site', 全单位: 'site',
};

export interface ParsedLedgerRow {
  row: number;
  input: LicenceFields;
}

export interface ParsedLedger {
  rows: ParsedLedgerRow[];
  problems: Array<LicenceProblem & { row: number }>;
}

/** "1,234.56" yuan -> 123456 分, exactly (no floating point). */
export function yuanToFen(text: string): number | undefined {
  const match = /^(\d{1,13})(?:\.(\d{1,2}))?$/.exec(text.replace(/[,，\s¥￥]/g, ''));
  if (!match) return undefined;
  return Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
}

function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'object') {
    if ('result' in value && value.result !== undefined) return cellText(value.result as ExcelJS.CellValue);
    if ('richText' in value) return value.richText.map((r) => r.text).join('');
    if ('text' in value) return String(value.text);
    return '';
  }
  return String(value).trim();
}

/** Resolves a product cell: a catalog id, or a product's exact name. */
function resolveProduct(text: string, catalog: Pick<RuleSet, 'products'>): string | undefined {
  if (catalog.products.has(text)) return text;
  const lower = text.toLowerCase();
  for (const product of catalog.products.values()) if (product.name.toLowerCase() === lower) return product.id;
  return undefined;
}

/** Reads an XLSX file into licence rows and per-row problems. */
export async function parseLedgerWorkbook(data: Buffer, catalog: Pick<RuleSet, 'products'>): Promise<ParsedLedger> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(data as unknown as ArrayBuffer);
  } catch (error) {
    return { rows: [], problems: [{ row: 0, field: 'file', message: `not a readable XLSX file (${(error as Error).message})` }] };
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) return { rows: [], problems: [{ row: 0, field: 'file', message: 'the workbook has no sheet' }] };
  const header = new Map<number, (typeof COLUMNS)[string]>();
  const unknownHeaders: string[] = [];
  sheet.getRow(1).eachCell((cell, col) => {
    const text = cellText(cell.value);
    const field = COLUMNS[text.replace(/\s+/g, '').toLowerCase()];
    if (field) header.set(col, field);
    else if (text) unknownHeaders.push(text);
  });
  const fields = new Set(header.values());
  const problems: ParsedLedger['problems'] = [];
  for (const required of ['product', 'type', 'quantity'] as const) {
    if (!fields.has(required)) problems.push({ row: 1, field: required, message: `no column for ${required} (headers: ${[...header.values()].join(', ') || 'none recognised'}; unknown: ${unknownHeaders.join(', ') || 'none'})` });
  }
  if (problems.length) return { rows: [], problems };

  const rows: ParsedLedgerRow[] = [];
  for (let r = 2; r <= sheet.rowCount; r++) {
    const raw: Record<string, string> = {};
    for (const [col, field] of header) raw[field] = cellText(sheet.getRow(r).getCell(col).value);
    if (Object.values(raw).every((v) => v === '')) continue;
    const rowProblems: LicenceProblem[] = [];
    const productId = resolveProduct(raw.product ?? '', catalog);
    if (!productId) rowProblems.push({ field: 'product', message: `unknown product "${raw.product ?? ''}": use a catalog id or exact product name` });
    const type = TYPE_NAMES[(raw.type ?? '').toLowerCase()] ?? (LICENCE_TYPES as readonly string[]).find((t) => t === raw.type);
    if (!type) rowProblems.push({ field: 'type', message: `unknown licence type "${raw.type ?? ''}" (${LICENCE_TYPES.join(', ')} or 永久授权/订阅/OEM/批量/站点)` });
    const amountFen = raw.amountYuan ? yuanToFen(raw.amountYuan) : undefined;
    if (raw.amountYuan && amountFen === undefined) rowProblems.push({ field: 'amount', message: `"${raw.amountYuan}" is not an amount in yuan (e.g. 1234.50)` });
    const number = (text: string | undefined) => (text ? Number(text) : undefined);
    const candidate = {
      product: productId ?? 'unknown',
      type: type ?? 'perpetual-device',
      quantity: number(raw.quantity),
      licenceCount: number(raw.licenceCount) ?? null,
      startsOn: raw.startsOn || null,
      endsOn: raw.endsOn || null,
      purchasedOn: raw.purchasedOn || null,
      contractNo: raw.contractNo || null,
      invoiceNo: raw.invoiceNo || null,
      supplier: raw.supplier || null,
      amountFen: amountFen ?? null,
      note: raw.note || null,
    };
    const parsed = LicenceFields.safeParse(candidate);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) rowProblems.push({ field: String(issue.path[0] ?? 'row'), message: issue.message });
    }
    if (rowProblems.length) problems.push(...rowProblems.map((p) => ({ row: r, ...p })));
    else if (parsed.success) rows.push({ row: r, input: parsed.data });
  }
  return { rows, problems };
}
