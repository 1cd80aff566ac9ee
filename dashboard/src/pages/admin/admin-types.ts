/** Shapes of the admin API answers (server/src/routes/orgs.ts, users.ts, audit.ts, compliance.ts). */
import type { ImportProblem } from '../../components/import-problems.tsx';
import type { Role } from '../../types.ts';

export type { ImportProblem };

export type OrgKind = 'bureau' | 'zone' | 'unit';

export interface OrgView {
  id: string;
  parentId: string | null;
  kind: OrgKind;
  name: string;
  creditCode: string | null;
  sector: string | null;
  region: string | null;
  head: string | null;
  liaison: string | null;
  phone: string | null;
  expectedMachines: number | null;
  depth: number;
  createdAt: string;
  childCount?: number;
}

export interface Sector {
  name: string;
  deadlineYear: number | null;
  [key: string]: unknown;
}

export interface UserView {
  id: string;
  username: string;
  displayName: string | null;
  role: Role;
  org: { id: string; name: string; kind: OrgKind };
  mustChangePassword: boolean;
  createdAt: string;
  lastSignedInAt: string | null;
  disabledAt: string | null;
}

export interface AuditEntry {
  id: number;
  at: string;
  userId: string | null;
  username: string;
  ip: string | null;
  action: string;
  targetType: string;
  targetId: string | null;
  orgId: string | null;
  orgName: string | null;
  before: unknown;
  after: unknown;
}

export interface ComplianceSettings {
  orgId: string;
  approvedKmsHosts: string[];
  webhookUrl: string | null;
}

/** A row of the unit import preview, and a problem with the file (row 1 = the heading row). */
export interface ImportRow {
  row: number;
  action: 'create' | 'update';
  unit: Partial<OrgView>;
}
export interface ImportPlan {
  rows: ImportRow[];
  problems: ImportProblem[];
  summary: { rows: number; create: number; update: number; problems: number };
}
