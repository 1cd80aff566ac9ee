import type { AnnualReturnForm, AnnualReturnRow } from './form.ts';

/** The unit's non-compliant findings of the year (annual-return/finding-counts.ts). */
export interface FindingCounts {
  /** Opened during the year. */
  found: number;
  /** Of those, closed by the snapshot day because the problem was fixed. */
  rectified: number;
  /** Of those, closed because their machine was retired (报废/停用): not rectified. */
  closedByRetirement: number;
  /** Of those, still open on the snapshot day. */
  stillOpen: number;
  /** Opened in earlier years and rectified during this one. */
  earlierRectified: number;
}

/** Optional facts from other modules (compliance findings) that the summary quotes when known. */
export interface SummaryExtras {
  findings?: FindingCounts;
}

/** The findings paragraph: found, rectified and the rate; what is left open; what retirement closed. */
function findingsParagraph(f: FindingCounts | undefined): string {
  if (!f) return '本年度核查发现的问题及整改情况：（请填写）';
  let text = `本年度共发现软件正版化问题 ${f.found} 项，已整改 ${f.rectified} 项，整改率 ${percent(f.rectified, f.found)}`;
  if (f.stillOpen > 0) text += `，尚有 ${f.stillOpen} 项正在整改`;
  if (f.closedByRetirement > 0) text += `；另有 ${f.closedByRetirement} 项因计算机报废或停用而关闭，未计入已整改`;
  text += '。';
  if (f.earlierRectified > 0) text += `此外，整改以前年度遗留问题 ${f.earlierRectified} 项。`;
  return text;
}

/** "12.5%"; "—" when the base is zero. */
export function percent(part: number, whole: number): string {
  return whole > 0 ? `${Math.round((part / whole) * 1000) / 10}%` : '—';
}

function change(current: number, previous: number | undefined): string {
  if (previous === undefined) return '';
  const delta = current - previous;
  return delta === 0 ? '，与上年持平' : `，比上年${delta > 0 ? '增加' : '减少'} ${Math.abs(delta)}`;
}

/**
 * The paragraphs of the annual summary draft (年度总结), in order, as plain text: drafted from the
 * unit's own figures (computers and OS mix, office sets, domestic-software rates, findings found
 * and rectified, year-on-year change); the unit edits the rest. Pure, so the DOCX and any other format say the same thing.
 */
export function draftSummaryParagraphs(form: AnnualReturnForm, extras: SummaryExtras = {}): { title: string; sections: Array<{ heading: string; paragraphs: string[] }> } {
  const c: AnnualReturnRow = form.current;
  const p = form.previous ?? undefined;
  const other = c.computers - c.windows - c.kylin;
  const office = c.msOffice + c.wps;
  const findings = findingsParagraph(extras.findings);
  return {
    title: `${form.header.unitName} ${c.year} 年度推进使用正版软件工作总结（草稿）`,
    sections: [
      {
        heading: '一、计算机设备基本情况',
        paragraphs: [
          `截至 ${c.year} 年度报表统计日，本单位共有工作人员 ${c.staffCount ?? '（请填写）'} 人，计算机 ${c.computers} 台${change(c.computers, p?.computers)}。`,
          `其中安装 windows 操作系统的计算机 ${c.windows} 台（占 ${percent(c.windows, c.computers)}），安装银河麒麟操作系统的计算机 ${c.kylin} 台（占 ${percent(c.kylin, c.computers)}${change(c.kylin, p?.kylin)}），其他操作系统 ${other} 台。`,
        ],
      },
      {
        heading: '二、正版办公软件采购情况',
        paragraphs: [
          `本单位已采购微软 office 办公软件 ${c.msOffice} 套${change(c.msOffice, p?.msOffice)}，已采购金山 WPS office 办公软件 ${c.wps} 套${change(c.wps, p?.wps)}。`,
          `国产办公软件占已采购办公软件的 ${percent(c.wps, office)}，国产操作系统（银河麒麟）占计算机的 ${percent(c.kylin, c.computers)}。`,
        ],
      },
      { heading: '三、问题发现与整改', paragraphs: [findings] },
      { heading: '四、下一步工作打算', paragraphs: ['（请填写）'] },
    ],
  };
}
