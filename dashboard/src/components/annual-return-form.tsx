import type { CSSProperties, ReactNode } from 'react';
import { COLUMN_HEADINGS, FIGURE_KEYS, FORM_TITLE, REMARKS, type FigureKey, type ReturnForm, type ReturnRow } from '../annual-return-types.ts';

const cell: CSSProperties = { border: '1px solid #333', padding: '6px 8px', textAlign: 'center', verticalAlign: 'middle' };
const heading: CSSProperties = { ...cell, fontWeight: 600, background: '#fafafa', fontSize: 13 };

/** "2025 年 12 月 8 日", or the blank date line of the printed form. */
export function formDate(date: string | null): string {
  if (!date) return '      年    月    日';
  const [y, m, d] = date.split('-').map(Number);
  return `${y} 年 ${m} 月 ${d} 日`;
}

/**
 * The official form (计算机设备及办公软件使用情况汇总表) as it prints: title, header lines, the
 * previous year's row above the current one, the two 备注 notes. On screen each current figure is
 * a button opening what it counts; the staff count shows what is being typed in.
 */
export function AnnualReturnFormTable({ form, staffCount, onFigure, print = false }: { form: ReturnForm; staffCount?: number | null; onFigure?: (key: FigureKey) => void; print?: boolean }) {
  const current: ReturnRow = { ...form.current, staffCount: staffCount !== undefined ? staffCount : form.current.staffCount };
  const row = (r: ReturnRow | null, year: number, isCurrent: boolean) => {
    const figure = (key: FigureKey): ReactNode => {
      if (!r) return '';
      if (!isCurrent || !onFigure) return r[key];
      return (
        <button type="button" onClick={() => onFigure(key)} data-testid={`figure-${key}`} style={{ border: 0, background: 'none', color: '#c0392b', cursor: 'pointer', textDecoration: 'underline', font: 'inherit', padding: 0 }}>
          {r[key]}
        </button>
      );
    };
    return (
      <tr data-testid={isCurrent ? 'row-current' : 'row-previous'}>
        <td style={cell}>{year} 年</td>
        <td style={cell} data-testid={isCurrent ? 'cell-staff' : undefined}>
          {r?.staffCount ?? ''}
        </td>
        {FIGURE_KEYS.map((key) => (
          <td key={key} style={cell}>
            {figure(key)}
          </td>
        ))}
      </tr>
    );
  };
  const line = (label: string, value: string | null) => (
    <span style={{ marginRight: 24, whiteSpace: 'nowrap' }}>
      {label}：<span style={{ display: 'inline-block', minWidth: 96, borderBottom: '1px solid #333', padding: '0 4px' }}>{value ?? ''}</span>
    </span>
  );
  return (
    <div data-testid="return-form" style={{ fontFamily: print ? '"Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "WenQuanYi Micro Hei", sans-serif' : undefined, color: '#000' }}>
      <div style={{ textAlign: 'center', fontSize: print ? 22 : 18, fontWeight: 700, margin: '8px 0 16px' }}>{FORM_TITLE}</div>
      <div style={{ display: 'flex', flexWrap: 'wrap', rowGap: 8, marginBottom: 12, fontSize: 14 }}>
        {line('单位名称(盖章)', form.header.unitName)}
        {line('主要负责人签字', print ? null : form.header.head)}
        {line('联络员', form.header.liaison)}
        {line('联系方式', form.header.contact)}
        <span style={{ whiteSpace: 'pre' }}>{formDate(form.header.date)}</span>
      </div>
      <table style={{ borderCollapse: 'collapse', width: '100%', tableLayout: 'fixed', fontSize: 14 }}>
        <thead>
          <tr>
            {COLUMN_HEADINGS.map((h) => (
              <th key={h} style={heading}>
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {row(form.previous, form.current.year - 1, false)}
          {row(current, form.current.year, true)}
          <tr>
            <td style={{ ...cell, fontWeight: 600 }}>备注</td>
            <td colSpan={6} style={{ ...cell, textAlign: 'left', fontSize: 13, lineHeight: 1.7 }}>
              {REMARKS.map((r) => (
                <div key={r}>{r}</div>
              ))}
            </td>
          </tr>
        </tbody>
      </table>
    </div>
  );
}
