/**
 * The query string of GET /api/machines: search, filters, sorting and paging, each refused with a
 * message that names the parameter and says what it accepts.
 */
import { z } from 'zod';
import { ACTIVATION_STATUSES, OS_FAMILIES } from '@zhengban/protocol';
import { MACHINE_SORT_KEYS } from '../machines/list.ts';
import { LineText, PageQuery, Uuid } from './schemas.ts';

const instant = (example: string) =>
  z.iso
    .datetime({ offset: true, error: `must be an ISO date-time with an offset, e.g. ${example}` })
    .transform((text) => new Date(text));

export const MachineListParams = PageQuery.extend({
  limit: z.coerce.number().int().min(1).max(1000).default(50),
  /** Part of the hostname or serial number, or the start of the IP address. */
  q: LineText.trim().max(100, 'search text: at most 100 characters').optional(),
  osFamily: z.enum(OS_FAMILIES, { error: `must be one of ${OS_FAMILIES.join(', ')}` }).optional(),
  activation: z.enum(ACTIVATION_STATUSES, { error: `must be one of ${ACTIVATION_STATUSES.join(', ')}` }).optional(),
  hasFindings: z.stringbool({ error: 'must be true or false' }).optional(),
  seenBefore: instant('2026-01-01T00:00:00+08:00').optional(),
  seenAfter: instant('2026-01-01T00:00:00+08:00').optional(),
  /** That org and everything under it. */
  orgId: Uuid.optional(),
  /** Part of the department (使用部门). */
  department: LineText.trim().max(128, 'department: at most 128 characters').optional(),
  /** true: retired (报废/停用) machines only; false: those in use only; absent: both. */
  retired: z.stringbool({ error: 'must be true or false' }).optional(),
  sort: z.enum(MACHINE_SORT_KEYS, { error: `must be one of ${MACHINE_SORT_KEYS.join(', ')}` }).default('hostname'),
  order: z.enum(['asc', 'desc'], { error: 'must be asc or desc' }).default('asc'),
}).refine((query) => !query.seenBefore || !query.seenAfter || query.seenAfter < query.seenBefore, {
  message: 'seenAfter must be earlier than seenBefore (no machine can match)',
  path: ['seenAfter'],
});
