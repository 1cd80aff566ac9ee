import { sql, type SQL } from 'drizzle-orm';
import { dueDateOf } from './form.ts';

/**
 * Reminders before the 10 December deadline (年度报表催报), raised by the alert sweep
 * (alerts/sweep.ts) for every unit whose return for the year is neither submitted nor accepted.
 * Each reminder has a stage; the sweep never alerts one subject twice, so a unit hears at most once
 * per stage: 30 days before, 7 days before, the last day, and once when the deadline has passed.
 */

export type ReminderStage = 'd30' | 'd7' | 'd1' | 'overdue';

/** The stage a day falls in for that day's year, or null when no reminder is due. Pure. */
export function reminderStageOf(today: string): { year: number; dueDate: string; daysLeft: number; stage: ReminderStage } | null {
  const year = Number(today.slice(0, 4));
  const dueDate = dueDateOf(year);
  const daysLeft = Math.round((Date.parse(`${dueDate}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / 86_400_000);
  const stage: ReminderStage | null = daysLeft > 30 ? null : daysLeft > 7 ? 'd30' : daysLeft > 1 ? 'd7' : daysLeft >= 0 ? 'd1' : 'overdue';
  return stage ? { year, dueDate, daysLeft, stage } : null;
}

/**
 * The alert candidates of the day (columns of the sweep's candidates: org_id, kind, subject,
 * message, facts, machine_id, product_id): units in the whole tree without a standing return.
 */
export function annualReturnReminderCandidates(today: string): SQL {
  const due = reminderStageOf(today);
  if (!due) return sql`SELECT NULL::uuid, NULL::text, NULL::text, NULL::text, NULL::jsonb, NULL::uuid, NULL::varchar WHERE FALSE`;
  const when = due.daysLeft >= 0 ? `还有 ${due.daysLeft} 天` : `已逾期 ${-due.daysLeft} 天`;
  const message = `${due.year} 年度报表（计算机设备及办公软件使用情况汇总表）尚未报送：${due.dueDate} 截止，${when}`;
  const facts = JSON.stringify({ year: due.year, dueDate: due.dueDate, daysLeft: due.daysLeft });
  return sql`SELECT o.id, 'annual-return.due'::text, ${`annual-return:${due.year}:${due.stage}`}::text, ${message}::text, ${facts}::jsonb, NULL::uuid, NULL::varchar
             FROM orgs o
             WHERE o.kind = 'unit' AND NOT EXISTS (SELECT 1 FROM annual_returns r WHERE r.org_id = o.id AND r.year = ${due.year}::int AND r.status IN ('submitted', 'accepted'))`;
}
