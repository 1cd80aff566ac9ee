/** Shapes of the API answers the dashboard reads (see server/src/routes and /docs). */

export type Role = 'bureau-admin' | 'bureau-viewer' | 'unit-admin' | 'unit-viewer' | 'inspector';

export interface User {
  id: string;
  username: string;
  role: Role;
  org: { id: string; name: string; kind: string | null };
  mustChangePassword: boolean;
}

export interface SignedIn {
  user: User;
  csrfToken: string;
}

export interface RateRow {
  key: string;
  label: string;
  machines: number;
  compliantMachines: number;
  complianceRate: number | null;
  osMachines: number;
  kylinMachines: number;
  domesticOsMachines: number;
  domesticOsShare: number | null;
  officeSuites: number;
  domesticOfficeSuites: number;
  domesticOfficeShare: number | null;
}

export interface MachineRow {
  id: string;
  hostname: string;
  org: { id: string; name: string };
  os: { family: string | null; product: string | null; edition: string | null; version: string | null; arch: string | null };
  activation: { status: string | null; channel: string | null; kmsHost: string | null; expires: string | null };
  softwareCount: number | null;
  agentVersion: string | null;
  collectedAt: string | null;
  firstSeenAt: string | null;
  lastSeenAt: string | null;
}

export interface MachineDetail extends MachineRow {
  os: MachineRow['os'] & { build: string | null; kernel: string | null };
  hardware: { vendor: string | null; model: string | null; serial: string | null; uuid: string | null; cpu: string | null; memoryMb: number | null; virtual: boolean | null };
  office: Array<{ product?: string; name?: string; version?: string; edition?: string; [key: string]: unknown }>;
  findings: Array<{ code?: string; severity?: string; message?: string; [key: string]: unknown }>;
  software: Array<{ key: string; id: string | null; name: string; version: string | null; publisher: string | null; installDate: string | null }>;
  agents: Array<{ id: string; platform: string; agentVersion: string; lastSeenAt: string | null; enrolledAt: string }>;
}

export interface Licence {
  id: string;
  orgId: string;
  productId: string;
  type: string;
  quantity: number;
  licenceCount: number | null;
  startsOn: string | null;
  endsOn: string | null;
  purchasedOn: string | null;
  contractNo: string | null;
  supplier: string | null;
  note: string | null;
  createdAt: string;
}

/** An event of /api/live (server/src/live/events.ts). */
export interface LiveEvent {
  type: string;
  orgId?: string;
  machineId?: string;
  productId?: string;
  code?: string;
  subject?: string;
  installs?: number;
  covered?: number;
  shortfall?: number;
  at?: number;
}
