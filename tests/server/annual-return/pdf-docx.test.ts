/**
 * The PDF (read back with poppler's pdftotext/pdffonts/pdftoppm) and the DOCX summary draft
 * (unzipped, word/document.xml read) hold every figure and heading.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { writeSummaryDocx } from '../../../server/src/annual-return/docx-summary.ts';
import { COLUMN_HEADINGS, FORM_TITLE, HEADER_LABELS, REMARKS, type AnnualReturnForm } from '../../../server/src/annual-return/form.ts';
import { PDF_TABLE, writeAnnualReturnPdf } from '../../../server/src/annual-return/pdf-form.ts';

const form: AnnualReturnForm = {
  header: { unitName: '岳阳市文化旅游广电局', head: '王主任', liaison: '李联络', contact: '0730-8889382', date: '2023-12-08' },
  previous: { year: 2022, staffCount: 58, computers: 61, windows: 50, kylin: 9, msOffice: 40, wps: 12 },
  current: { year: 2023, staffCount: 60, computers: 64, windows: 41, kylin: 21, msOffice: 45, wps: 30 },
};
const dir = mkdtempSync(join(tmpdir(), 'zb-annual-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));
const has = (tool: string) => spawnSync(tool, ['-v']).error === undefined;
const squash = (text: string) => text.replace(/\s+/g, '');

t.test('the PDF holds the title, header lines, every heading, both rows, the notes and the seal space', { skip: has('pdftotext') ? false : 'pdftotext (poppler-utils) is not installed' }, async (t) => {
  const file = join(dir, 'form.pdf');
  writeFileSync(file, await writeAnnualReturnPdf(form));
  t.match(execFileSync('pdfinfo', [file], { encoding: 'utf8' }), /Pages:\s+1\n[\s\S]*Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)/, 'one A4 page');
  const fonts = execFileSync('pdffonts', [file], { encoding: 'utf8' });
  t.match(fonts, /NotoSansHans-Regular\s+CID Type 0C\s+Identity-H\s+yes\s+yes/, 'the CJK font is embedded (subset)');
  const text = squash(execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }));
  // Each heading wraps inside its cell: read it from the cell alone.
  let x = PDF_TABLE.left;
  PDF_TABLE.columnWidths.forEach((width, i) => {
    const crop = ['-x', String(Math.round(x)), '-y', String(PDF_TABLE.top), '-W', String(width), '-H', String(PDF_TABLE.headingHeight)];
    t.equal(squash(execFileSync('pdftotext', ['-enc', 'UTF-8', ...crop, file, '-'], { encoding: 'utf8' })), squash(COLUMN_HEADINGS[i]!), `heading ${COLUMN_HEADINGS[i]}`);
    x += width;
  });
  for (const expected of [FORM_TITLE, ...Object.values(HEADER_LABELS), ...REMARKS, '备注', '岳阳市文化旅游广电局', '李联络', '0730-8889382', '2023年12月8日', '（单位行政印章）']) {
    t.ok(text.includes(squash(expected)), `holds ${expected.slice(0, 24)}`);
  }
  const layout = execFileSync('pdftotext', ['-layout', '-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
  t.match(layout, /2022 年\s+58\s+61\s+50\s+9\s+40\s+12/, 'previous year row');
  t.match(layout, /2023 年\s+60\s+64\s+41\s+21\s+45\s+30/, 'current year row');
  if (has('pdftoppm')) {
    execFileSync('pdftoppm', ['-png', '-r', '50', '-f', '1', '-l', '1', file, join(dir, 'page')]);
    t.ok(readFileSync(join(dir, 'page-1.png')).length > 1000, 'page 1 renders');
  }
});

t.test('the DOCX summary draft opens and holds the figures, the OS mix and the year-on-year change', { skip: has('unzip') ? false : 'unzip is not installed' }, async (t) => {
  const file = join(dir, 'summary.docx');
  writeFileSync(file, await writeSummaryDocx(form, { findings: { found: 8, rectified: 5, closedByRetirement: 1, stillOpen: 2, earlierRectified: 3 } }));
  const xml = execFileSync('unzip', ['-p', file, 'word/document.xml'], { encoding: 'utf8' });
  const text = xml.replace(/<[^>]+>/g, '');
  for (const expected of [
    '岳阳市文化旅游广电局 2023 年度推进使用正版软件工作总结（草稿）',
    '共有工作人员 60 人，计算机 64 台，比上年增加 3',
    '安装 windows 操作系统的计算机 41 台（占 64.1%）',
    '安装银河麒麟操作系统的计算机 21 台（占 32.8%，比上年增加 12）',
    '已采购微软 office 办公软件 45 套，比上年增加 5',
    '已采购金山 WPS office 办公软件 30 套，比上年增加 18',
    '国产办公软件占已采购办公软件的 40%',
    // 5 of 8 rectified = 62.5%; the one closed because its PC was retired is not called rectified.
    '本年度共发现软件正版化问题 8 项，已整改 5 项，整改率 62.5%，尚有 2 项正在整改；另有 1 项因计算机报废或停用而关闭，未计入已整改。此外，整改以前年度遗留问题 3 项。',
  ]) t.ok(text.includes(expected), expected);
});
