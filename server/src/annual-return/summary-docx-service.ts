import type { Db } from '../db/database.ts';
import { writeSummaryDocx } from './docx-summary.ts';
import { loadYearFindingCounts } from './finding-counts.ts';
import type { UnitReturnView } from './service.ts';

/**
 * The annual summary draft (年度总结) of a unit's return as DOCX: the form's figures, and the
 * findings found and rectified in the year up to the day those figures describe (the submitted
 * version's snapshot day while one stands, else the live draft's).
 */
export async function writeUnitSummaryDocx(db: Db, view: UnitReturnView): Promise<Buffer> {
  const standing = view.status === 'submitted' || view.status === 'accepted' ? view.versions.find((v) => v.status === view.status) : undefined;
  const asOf = standing?.asOf ?? view.draft.asOf;
  return writeSummaryDocx(view.form, { findings: await loadYearFindingCounts(db, view.orgId, view.year, asOf) });
}
