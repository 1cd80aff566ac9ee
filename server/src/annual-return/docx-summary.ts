import { AlignmentType, Document, HeadingLevel, Packer, Paragraph, TextRun } from 'docx';
import type { AnnualReturnForm } from './form.ts';
import { draftSummaryParagraphs, type SummaryExtras } from './summary-text.ts';

const FONT = { ascii: 'Times New Roman', eastAsia: '仿宋_GB2312', hAnsi: 'Times New Roman' };

/**
 * The annual summary draft (年度总结) as an editable DOCX, drafted from the unit's own figures;
 * sections left for the unit say （请填写）.
 */
export async function writeSummaryDocx(form: AnnualReturnForm, extras: SummaryExtras = {}): Promise<Buffer> {
  const draft = draftSummaryParagraphs(form, extras);
  const children: Paragraph[] = [
    new Paragraph({ heading: HeadingLevel.TITLE, alignment: AlignmentType.CENTER, children: [new TextRun({ text: draft.title, bold: true, size: 36, font: { ...FONT, eastAsia: '方正小标宋简体' } })] }),
  ];
  for (const section of draft.sections) {
    children.push(new Paragraph({ heading: HeadingLevel.HEADING_1, children: [new TextRun({ text: section.heading, bold: true, size: 32, font: { ...FONT, eastAsia: '黑体' } })] }));
    for (const text of section.paragraphs) {
      children.push(new Paragraph({ indent: { firstLine: 640 }, spacing: { line: 560 }, children: [new TextRun({ text, size: 32, font: FONT })] }));
    }
  }
  children.push(new Paragraph({ alignment: AlignmentType.RIGHT, spacing: { before: 600 }, children: [new TextRun({ text: form.header.unitName, size: 32, font: FONT })] }));
  const doc = new Document({
    creator: 'zhengban',
    title: draft.title,
    sections: [{ properties: { page: { size: { width: 11906, height: 16838 }, margin: { top: 2098, bottom: 1984, left: 1587, right: 1474 } } }, children }],
  });
  return Packer.toBuffer(doc);
}
