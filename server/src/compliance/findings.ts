import { createHash } from 'node:crypto';
import type { Finding, Inventory } from '@zhengban/protocol';
import type { MachineProduct, RuleSet } from '../catalog/types.ts';

/**
 * Per-machine findings (问题): pure. The agent's own findings are kept as reported; the server
 * adds what only it can know: KMS hosts outside the unit's approved list, personal-use-only
 * software in a unit, and (from licence positions) installs no licence covers.
 */

export const SERVER_FINDING_CODES = {
  kmsUnapprovedHost: 'kms.unapproved-host',
  personalUseOnly: 'software.personal-use-only',
  shortfall: 'licence.shortfall',
  subscriptionExpired: 'licence.subscription-expired',
} as const;

/** Findings whose presence makes a machine non-compliant (see docs/COMPLIANCE.md). */
export const NON_COMPLIANT_SEVERITIES = ['medium', 'high', 'critical'] as const;

/** A finding as stored: identified on its machine by code + subject. */
export interface FindingRow {
  code: string;
  subject: string;
  severity: Finding['severity'];
  origin: 'agent' | 'server';
  evidence: string;
}

/** Subject of an agent finding: a short hash of its evidence (one code can be reported twice). */
export function agentFindingSubject(finding: Pick<Finding, 'evidence'>): string {
  return `e:${createHash('sha256').update(finding.evidence).digest('hex').slice(0, 24)}`;
}

/** A host name as compared with the approved list: lower case, no port, no trailing dot. */
export function normaliseKmsHost(host: string): string {
  let value = host.trim().toLowerCase();
  if (/^\[.*\](:\d+)?$/.test(value)) value = value.slice(1, value.indexOf(']'));
  else if (/^[^:]+:\d+$/.test(value)) value = value.slice(0, value.lastIndexOf(':'));
  return value.replace(/\.$/, '');
}

/**
 * The findings of one machine that depend only on its inventory, its products and its unit's
 * settings (not on the ledger): the agent's findings, unapproved KMS hosts, personal-use-only
 * software.
 */
export function machineFindings(
  inventory: Pick<Inventory, 'os' | 'office' | 'findings'>,
  products: readonly Pick<MachineProduct, 'productId' | 'evidence'>[],
  approvedKmsHosts: readonly string[],
  catalog: Pick<RuleSet, 'products'>,
): FindingRow[] {
  const rows = new Map<string, FindingRow>();
  const add = (row: FindingRow) => {
    const key = `${row.code}|${row.subject}`;
    if (!rows.has(key)) rows.set(key, row);
  };
  for (const finding of inventory.findings) {
    add({ code: finding.code, subject: agentFindingSubject(finding), severity: finding.severity, origin: 'agent', evidence: finding.evidence });
  }
  const approved = new Set(approvedKmsHosts.map(normaliseKmsHost));
  const kmsUsers: Array<[host: string, what: string]> = [];
  if (inventory.os.activation.kmsHost) kmsUsers.push([inventory.os.activation.kmsHost, inventory.os.product]);
  for (const suite of inventory.office) if (suite.activation.kmsHost) kmsUsers.push([suite.activation.kmsHost, suite.product]);
  for (const [host, what] of kmsUsers) {
    const normalised = normaliseKmsHost(host);
    if (approved.has(normalised)) continue;
    add({
      code: SERVER_FINDING_CODES.kmsUnapprovedHost,
      subject: normalised.slice(0, 128),
      severity: 'high',
      origin: 'server',
      evidence: `${what} activates against KMS host ${host}, which is not on the unit's approved list (${approved.size ? [...approved].join(', ') : 'empty'})`,
    });
  }
  for (const product of products) {
    const entry = catalog.products.get(product.productId);
    if (entry?.licenceModel !== 'personal-use-only') continue;
    add({
      code: SERVER_FINDING_CODES.personalUseOnly,
      subject: product.productId,
      severity: 'medium',
      origin: 'server',
      evidence: `${entry.name} (found as "${product.evidence}") is licensed for personal use only and may not be used by a unit`,
    });
  }
  return [...rows.values()].sort((a, b) => (a.code + a.subject < b.code + b.subject ? -1 : 1));
}

/** The shortfall and expired-subscription findings of a unit for the products of one allocation group. */
export function positionFindings(
  positions: ReadonlyArray<{ productId: string; machines: { uncovered: string[]; expired: string[] } }>,
  catalog: Pick<RuleSet, 'products'>,
): Map<string, FindingRow[]> {
  const byMachine = new Map<string, FindingRow[]>();
  for (const position of positions) {
    const product = catalog.products.get(position.productId);
    // Personal-use-only software has its own finding; no licence can cover it.
    if (!product || product.licenceModel === 'personal-use-only') continue;
    const expired = new Set(position.machines.expired);
    for (const machineId of position.machines.uncovered) {
      const lapsed = expired.has(machineId);
      const row: FindingRow = {
        code: lapsed ? SERVER_FINDING_CODES.subscriptionExpired : SERVER_FINDING_CODES.shortfall,
        subject: position.productId,
        severity: 'high',
        origin: 'server',
        evidence: lapsed
          ? `${product.name} is installed and the unit's subscription for it has lapsed`
          : `${product.name} is installed beyond the unit's licences in force (no licence left to cover this machine)`,
      };
      byMachine.set(machineId, [...(byMachine.get(machineId) ?? []), row]);
    }
  }
  return byMachine;
}
