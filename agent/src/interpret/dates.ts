/**
 * YYYY-MM-DD from the date spellings found on machines: 2024-06-30, 2024/6/30, 2024.06.30,
 * 20240630 (registry InstallDate), with or without a time after it. Undefined when the text is
 * not a real calendar date (20241340 is junk some installers write).
 */
export function dateOnly(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const v = value.trim();
  const m = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})\b/.exec(v) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(v);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (y < 1980 || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return undefined;
  return date.toISOString().slice(0, 10);
}

/** `capturedAt` plus some minutes, as an ISO date-time in UTC (KMS renewal deadlines). */
export function addMinutes(capturedAt: string, minutes: number): string | undefined {
  const t = Date.parse(capturedAt);
  if (Number.isNaN(t)) return undefined;
  return new Date(t + minutes * 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
