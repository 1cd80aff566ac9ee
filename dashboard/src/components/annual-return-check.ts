/**
 * The 核对 step of the annual return: what must be filled before it can be submitted (errors) and
 * what a bureau clerk would question (warnings), checked in the browser before anything is sent.
 * Pure, so the page and its test agree on it.
 */
import type { ReturnRow } from '../annual-return-types.ts';

export interface CheckInput {
  current: ReturnRow;
  previous: ReturnRow | null;
  staffCount: number | null | undefined;
  head: string | undefined;
  liaison: string | undefined;
  contact: string | undefined;
  signedOn: string | undefined;
  virtualExcluded: number;
}

export interface CheckItem {
  level: 'error' | 'warning' | 'ok';
  /** Dictionary key (wb.ar.check.*) and its values. */
  key: string;
  values?: Record<string, string | number>;
}

const filled = (text: string | undefined) => Boolean(text && text.trim());

/** Every check, errors first. Submission is allowed when there is no error. */
export function checkReturn(input: CheckInput): CheckItem[] {
  const items: CheckItem[] = [];
  const { current: c, previous: p } = input;
  if (input.staffCount === null || input.staffCount === undefined) items.push({ level: 'error', key: 'staffMissing' });
  for (const field of ['head', 'liaison', 'contact', 'signedOn'] as const) if (!filled(input[field])) items.push({ level: 'error', key: `${field}Missing` });
  if (c.computers === 0) items.push({ level: 'warning', key: 'noComputers' });
  const other = c.computers - c.windows - c.kylin;
  if (other > 0) items.push({ level: 'warning', key: 'otherOs', values: { n: other } });
  if (c.computers > 0 && c.msOffice + c.wps === 0) items.push({ level: 'warning', key: 'noOfficeSets' });
  if (input.staffCount && c.computers > input.staffCount * 2) items.push({ level: 'warning', key: 'manyComputers', values: { computers: c.computers, staff: input.staffCount } });
  if (input.virtualExcluded > 0) items.push({ level: 'warning', key: 'virtual', values: { n: input.virtualExcluded } });
  if (p && p.computers > 0 && Math.abs(c.computers - p.computers) / p.computers > 0.5) items.push({ level: 'warning', key: 'bigChange', values: { before: p.computers, now: c.computers } });
  if (!items.some((i) => i.level === 'error')) items.push({ level: 'ok', key: 'ready' });
  return items.sort((a, b) => ['error', 'warning', 'ok'].indexOf(a.level) - ['error', 'warning', 'ok'].indexOf(b.level));
}
