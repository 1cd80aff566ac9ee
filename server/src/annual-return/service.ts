import { and, eq } from 'drizzle-orm';
import { recordAudit, type AuditActor } from '../audit/record.ts';
import type { Product } from '../catalog/types.ts';
import type { Db } from '../db/database.ts';
import { annualReturns, type FrozenEvidence } from '../db/schema/annual-return.ts';
import { badRequest, conflict, notFound } from '../errors.ts';
import { getOrgById } from '../orgs/queries.ts';
import { fillAnnualReturn, type FilledReturn } from './fill.ts';
import { dueDateOf, type AnnualReturnForm, type AnnualReturnRow } from './form.ts';
import { loadEvidenceLabels, type EvidenceLicence, type EvidenceMachine } from './evidence-labels.ts';
import { getLatestCountedReturn, getReturnById, listReturnVersions, loadUnitSnapshot, rowOfStored, type StoredReturn } from './queries.ts';

/** The day a live draft describes: today, but never past the year's last day. */
export function snapshotDayOf(year: number, today: string): string {
  const end = `${year}-12-31`;
  return today < end ? today : end;
}

/** What a unit sees for a year: the live draft, the version in force, and every version kept. */
export interface UnitReturnView {
  orgId: string;
  year: number;
  /** draft = nothing submitted yet, or the latest version was returned and awaits a correction. */
  status: 'draft' | StoredReturn['status'];
  dueDate: string;
  /** Live figures as of today (the next version, if one is submitted). */
  draft: FilledReturn;
  /** The form as it would print now: the latest submitted/accepted version, else the draft. */
  form: AnnualReturnForm;
  versions: StoredReturn[];
  /** Hostnames and ledger rows for the ids behind the draft's and the versions' figures (drill-down). */
  labels: { machines: Record<string, EvidenceMachine>; licences: Record<string, EvidenceLicence> };
}

interface Deps {
  products: ReadonlyMap<string, Product>;
  /** YYYY-MM-DD */
  today: string;
}

/**
 * The previous year's row: last year's submitted or accepted return, else filled from history (a
 * snapshot as of 31 December of that year; no staff count).
 */
async function previousRowOf(db: Db, orgId: string, year: number, products: ReadonlyMap<string, Product>): Promise<AnnualReturnRow> {
  const stored = await getLatestCountedReturn(db, orgId, year - 1);
  if (stored) return rowOfStored(stored);
  const filled = fillAnnualReturn(await loadUnitSnapshot(db, { orgId, year: year - 1, asOf: `${year - 1}-12-31`, products }));
  return { year: year - 1, staffCount: null, ...filled.figures };
}

/** Computes a unit's draft live and reads back its stored versions. */
export async function getUnitReturn(db: Db, orgId: string, year: number, deps: Deps): Promise<UnitReturnView> {
  const org = await getOrgById(db, orgId);
  if (!org) throw notFound('org.not-found', `no org ${orgId}`);
  const draft = fillAnnualReturn(await loadUnitSnapshot(db, { orgId, year, asOf: snapshotDayOf(year, deps.today), products: deps.products }));
  const versions = await listReturnVersions(db, orgId, year);
  const latest = versions[0];
  const counted = versions.find((v) => v.status === 'submitted' || v.status === 'accepted');
  const shown = latest && latest.status !== 'returned' ? counted : undefined;
  const form: AnnualReturnForm = shown
    ? {
        header: { unitName: shown.unitName, head: shown.head, liaison: shown.liaison, contact: shown.contact, date: shown.signedOn },
        previous: (shown.previousRow as AnnualReturnRow | null) ?? null,
        current: rowOfStored(shown),
      }
    : {
        header: { unitName: org.name, head: org.head, liaison: org.liaison, contact: org.phone, date: null },
        previous: await previousRowOf(db, orgId, year, deps.products),
        current: { year, staffCount: latest?.staffCount ?? null, ...draft.figures },
      };
  const machineIds = [draft.evidence.computers, ...Object.values(draft.excluded), ...versions.flatMap((v) => [v.evidence.figures.computers ?? [], v.evidence.excluded?.virtual ?? []])].flat();
  const licenceIds = [draft.evidence.msOffice, draft.evidence.wps, ...versions.flatMap((v) => [v.evidence.figures.msOffice ?? [], v.evidence.figures.wps ?? []])].flat();
  const labels = await loadEvidenceLabels(db, orgId, { machines: machineIds, licences: licenceIds });
  return { orgId, year, status: !latest || latest.status === 'returned' ? 'draft' : latest.status, dueDate: dueDateOf(year), draft, form, versions, labels };
}

/** What the unit types in when it submits. */
export interface SubmitInput {
  staffCount: number;
  head: string;
  liaison: string;
  contact: string;
  /** YYYY-MM-DD written on the form. */
  signedOn: string;
}

/**
 * Submits the unit's return for a year: fills it from the snapshot of today, freezes the figures
 * with the evidence behind them (machine ids and their inventory hashes, ledger rows and their
 * sets) as the next version, audited. Refused while a submitted or accepted version stands: only
 * a returned form is corrected, and the correction is a new version.
 */
export async function submitReturn(db: Db, actor: AuditActor, orgId: string, year: number, input: SubmitInput, deps: Deps): Promise<StoredReturn> {
  if (year > Number(deps.today.slice(0, 4))) throw badRequest('annual-return.future-year', `the ${year} return cannot be submitted before ${year}`);
  return db.transaction(async (tx) => {
    const org = await getOrgById(tx, orgId);
    if (!org) throw notFound('org.not-found', `no org ${orgId}`);
    if (org.kind !== 'unit') throw badRequest('annual-return.not-a-unit', 'annual returns are submitted by units, not by bureaus or zones');
    const versions = await listReturnVersions(tx, orgId, year);
    const latest = versions[0];
    if (latest && latest.status !== 'returned') throw conflict('annual-return.already-submitted', `the ${year} return is already ${latest.status} (version ${latest.version})`);
    const snapshot = await loadUnitSnapshot(tx, { orgId, year, asOf: snapshotDayOf(year, deps.today), products: deps.products });
    const filled = fillAnnualReturn(snapshot);
    const hashes = new Map(snapshot.machines.map((m) => [m.id, m.inventoryHash]));
    const evidence: FrozenEvidence = {
      figures: filled.evidence,
      machineHashes: Object.fromEntries(filled.evidence.computers.map((id) => [id, hashes.get(id) ?? null])),
      licenceSets: filled.licenceSets,
      excluded: filled.excluded,
    };
    const previous = await previousRowOf(tx, orgId, year, deps.products);
    const [row] = await tx
      .insert(annualReturns)
      .values({
        orgId, year, version: (latest?.version ?? 0) + 1, status: 'submitted', figures: { ...filled.figures }, previousRow: { ...previous }, evidence,
        asOf: filled.asOf, staffCount: input.staffCount, unitName: org.name, head: input.head, liaison: input.liaison, contact: input.contact,
        signedOn: input.signedOn, submittedBy: actor.userId,
      })
      .returning();
    await recordAudit(tx, { actor, action: 'annual-return.submit', targetType: 'annual-return', targetId: row!.id, orgId, after: { year, version: row!.version, figures: filled.figures, staffCount: input.staffCount, asOf: filled.asOf } });
    return row!;
  });
}

/**
 * The bureau's decision on a submitted version: accept it, or return it with a reason (the unit
 * then corrects it as a new version). Audited; a decided version is never changed again.
 */
export async function decideReturn(db: Db, actor: AuditActor, returnId: string, decision: { accept: true } | { accept: false; reason: string }): Promise<StoredReturn> {
  return db.transaction(async (tx) => {
    const stored = await getReturnById(tx, returnId);
    if (!stored) throw notFound('annual-return.not-found', `no annual return ${returnId}`);
    if (stored.status !== 'submitted') throw conflict('annual-return.not-submitted', `version ${stored.version} is ${stored.status}: only a submitted return is accepted or returned`);
    const status = decision.accept ? 'accepted' : 'returned';
    const [row] = await tx
      .update(annualReturns)
      .set({ status, returnReason: decision.accept ? null : decision.reason, decidedBy: actor.userId, decidedAt: new Date() })
      .where(and(eq(annualReturns.id, returnId), eq(annualReturns.status, 'submitted')))
      .returning();
    if (!row) throw conflict('annual-return.not-submitted', 'the return was decided meanwhile');
    await recordAudit(tx, { actor, action: decision.accept ? 'annual-return.accept' : 'annual-return.return', targetType: 'annual-return', targetId: returnId, orgId: stored.orgId, before: { status: 'submitted' }, after: decision.accept ? { status } : { status, reason: decision.reason } });
    return row;
  });
}

/** Days until the 10 December deadline (negative once past), and whether reminders are due. */
export function deadlineOf(year: number, today: string): { dueDate: string; daysLeft: number; overdue: boolean; remind: boolean } {
  const dueDate = dueDateOf(year);
  const daysLeft = Math.round((Date.parse(`${dueDate}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / 86_400_000);
  // Reminders go out in the last 30 days before the deadline and every day it is overdue.
  return { dueDate, daysLeft, overdue: daysLeft < 0, remind: daysLeft <= 30 };
}
