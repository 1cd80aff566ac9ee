/** Display helpers shared by the pages. */

/** 0.8734 -> "87.3%"; null (nothing to count) -> "—". */
export function formatPercent(ratio: number | null | undefined): string {
  return ratio === null || ratio === undefined ? '—' : `${(ratio * 100).toFixed(1)}%`;
}

/** An ISO time as local date and time, "—" when absent. */
export function formatTime(value: string | number | null | undefined, lang: 'zh' | 'en'): string {
  if (value === null || value === undefined) return '—';
  return new Date(value).toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-GB', { hour12: false });
}
