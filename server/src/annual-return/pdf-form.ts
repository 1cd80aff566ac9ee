import PDFDocument from 'pdfkit';
import { cjkFontPaths } from './cjk-font.ts';
import { COLUMN_HEADINGS, FORM_TITLE, HEADER_LABELS, REMARKS, REMARKS_LABEL, formatFormDate, rowCells, type AnnualReturnForm } from './form.ts';

/** A4 in PDF points. */
const A4 = { width: 595.28, height: 841.89 };
const MARGIN = 48;
/** Column widths (pt) of the seven columns; they add up to the printable width. */
const COLUMN_WIDTHS = [62, 62, 62, 85, 85, 71, 72];
/** Where the table sits (pt from the top-left), exported so readers can crop one cell's text. */
export const PDF_TABLE = { left: MARGIN, top: 164, headingHeight: 72, rowHeight: 32, columnWidths: COLUMN_WIDTHS } as const;

/**
 * The form as a one-page A4 PDF with the CJK font embedded: title, header lines, the table as
 * printed (both years, merged 备注 row), then a blank line for the head's signature, a seal
 * space (盖章处) and the date — what the unit prints, signs, seals and sends.
 */
export async function writeAnnualReturnPdf(form: AnnualReturnForm): Promise<Buffer> {
  const fonts = cjkFontPaths();
  const doc = new PDFDocument({ size: 'A4', margin: MARGIN, info: { Title: `${form.current.year} 年度${FORM_TITLE}`, Author: form.header.unitName, Creator: 'zhengban' } });
  doc.registerFont('cjk', fonts.regular);
  doc.registerFont('cjk-bold', fonts.bold);
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const left = MARGIN;
  const width = A4.width - 2 * MARGIN;
  doc.font('cjk-bold').fontSize(18).text(FORM_TITLE, left, 64, { width, align: 'center' });

  const { header } = form;
  doc.font('cjk').fontSize(10.5);
  let y = 112;
  doc.text(`${HEADER_LABELS.unitName}：${header.unitName}`, left, y, { width: width * 0.55 });
  doc.text(`${HEADER_LABELS.head}：`, left + width * 0.58, y, { width: width * 0.42 });
  y += 22;
  doc.text(`${HEADER_LABELS.liaison}：${header.liaison ?? ''}`, left, y, { width: width * 0.3 });
  doc.text(`${HEADER_LABELS.contact}：${header.contact ?? ''}`, left + width * 0.3, y, { width: width * 0.35 });
  doc.text(formatFormDate(header.date), left + width * 0.65, y, { width: width * 0.35, align: 'right' });

  // The table: heading row, previous year, current year, 备注.
  y = PDF_TABLE.top;
  const cellRow = (cells: Array<string | number | null>, top: number, height: number, bold: boolean) => {
    let x = left;
    cells.forEach((value, i) => {
      const w = COLUMN_WIDTHS[i]!;
      doc.rect(x, top, w, height).stroke();
      const text = value === null ? '' : String(value);
      doc.font(bold ? 'cjk-bold' : 'cjk').fontSize(bold ? 9.5 : 11);
      const textHeight = doc.heightOfString(text, { width: w - 6 });
      doc.text(text, x + 3, top + (height - textHeight) / 2, { width: w - 6, align: 'center' });
      x += w;
    });
  };
  doc.lineWidth(0.8);
  cellRow([...COLUMN_HEADINGS], y, 72, true);
  y += 72;
  cellRow(rowCells(form.previous, form.current.year - 1), y, 32, false);
  y += 32;
  cellRow(rowCells(form.current, form.current.year), y, 32, false);
  y += 32;
  const remarksHeight = 96;
  doc.rect(left, y, COLUMN_WIDTHS[0]!, remarksHeight).stroke();
  doc.rect(left + COLUMN_WIDTHS[0]!, y, width - COLUMN_WIDTHS[0]!, remarksHeight).stroke();
  doc.font('cjk-bold').fontSize(11).text(REMARKS_LABEL, left, y + remarksHeight / 2 - 7, { width: COLUMN_WIDTHS[0]!, align: 'center' });
  doc.font('cjk').fontSize(10).text(REMARKS.join('\n'), left + COLUMN_WIDTHS[0]! + 8, y + 10, { width: width - COLUMN_WIDTHS[0]! - 16, lineGap: 3 });
  y += remarksHeight + 48;

  // Signature, seal and date: left blank for pen and seal.
  doc.font('cjk').fontSize(11);
  doc.text('主要负责人签字：', left, y);
  doc.moveTo(left + 92, y + 14).lineTo(left + 240, y + 14).stroke();
  const sealX = left + width - 150;
  doc.circle(sealX + 60, y + 40, 52).dash(3, { space: 3 }).stroke().undash();
  doc.fillColor('#888888').fontSize(10).text('（单位行政印章）', sealX, y + 34, { width: 120, align: 'center' }).fillColor('black');
  doc.fontSize(11).text(formatFormDate(header.date), left, y + 110, { width, align: 'right' });
  doc.end();
  return done;
}
