import { nonEmpty } from '../text.ts';

/** One CIM instance as ConvertTo-Json wrote it: property name -> value. */
export type WmiRow = Record<string, unknown>;

/**
 * Rows of a WMI class: ConvertTo-Json writes one object for a single instance and an array for
 * several; PowerShell 2 wrappers sometimes nest them under `value`. Anything else yields none.
 */
export function wmiRows(wmi: Map<string, unknown>, cls: string): WmiRow[] {
  let value: unknown;
  for (const [name, v] of wmi) if (name.toLowerCase() === cls.toLowerCase()) value = v;
  if (value && typeof value === 'object' && !Array.isArray(value) && Array.isArray((value as { value?: unknown }).value)) {
    value = (value as { value: unknown[] }).value;
  }
  const list = Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
  return list.filter((r): r is WmiRow => r !== null && typeof r === 'object' && !Array.isArray(r));
}

/** True when the capture wrote the class at all (an empty array counts: the query ran). */
export function hasWmiClass(wmi: Map<string, unknown>, cls: string): boolean {
  return [...wmi.keys()].some((n) => n.toLowerCase() === cls.toLowerCase());
}

/** A text property (property names compared case-insensitively, like WMI's). */
export function wmiString(row: WmiRow | undefined, name: string): string | undefined {
  if (!row) return undefined;
  const key = Object.keys(row).find((k) => k.toLowerCase() === name.toLowerCase());
  const v = key === undefined ? undefined : row[key];
  if (typeof v === 'string') return nonEmpty(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

/** A numeric property; numbers written as strings (WMI uint64 often is) are accepted. */
export function wmiNumber(row: WmiRow | undefined, name: string): number | undefined {
  const v = wmiString(row, name);
  if (v === undefined || !/^-?\d+(\.\d+)?$/.test(v)) return undefined;
  return Number(v);
}

/**
 * A date property in any of the shapes capture produces: PowerShell 5's `/Date(1700000000000)/`,
 * PowerShell 7's ISO text, or a raw CIM datetime `20240101093000.000000+480`. ISO date-time or undefined.
 */
export function wmiDate(row: WmiRow | undefined, name: string): string | undefined {
  const v = wmiString(row, name);
  if (!v) return undefined;
  const ms = /^\/Date\((-?\d+)\)\/$/.exec(v);
  if (ms) return new Date(Number(ms[1])).toISOString();
  const cim = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})\.\d+([+-]\d{3})$/.exec(v);
  if (cim) {
    const offset = Number(cim[7]);
    const t = Date.UTC(+cim[1]!, +cim[2]! - 1, +cim[3]!, +cim[4]!, +cim[5]!, +cim[6]!) - offset * 60_000;
    return new Date(t).toISOString();
  }
  const t = Date.parse(v);
  return Number.isNaN(t) ? undefined : new Date(t).toISOString();
}
