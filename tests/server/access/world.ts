/**
 * A small city for access tests: two county bureaus with units, one signed-in user per role, and
 * in every unit a record of every org-owned kind (machine and agent, enrolment token, staff user,
 * licence and attachment, annual return, alert; campaigns in the bureaus). Built through the real
 * API and services, on the test database of the file.
 *
 *   市版权局 (root, seeded)
 *   ├── 默认单位 (seeded)
 *   ├── 甲区版权局 A ── 甲区第一中学 A1, 甲区人民医院 A2
 *   └── 乙县版权局 B ── 乙县农商银行 B1
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import type { UserRole } from '../../../server/src/auth/viewer.ts';
import { createEnrollmentToken } from '../../../server/src/agents/enrollment-tokens.ts';
import { AGENT_PLATFORMS } from '../../../server/src/agents/downloads.ts';
import { createCampaign } from '../../../server/src/inspections/campaigns.ts';
import { insertOrg } from '../../../server/src/orgs/queries.ts';
import { createUser } from '../../../server/src/users/queries.ts';
import { SYSTEM_ACTOR } from '../../../server/src/audit/record.ts';
import { buildTestApp, TEST_ADMIN_PASSWORD, type TestApp } from '../../helpers/db.ts';
import { signIn, type SignedIn } from '../helpers/session.ts';

export const ROLES: UserRole[] = ['bureau-admin', 'bureau-viewer', 'unit-admin', 'unit-viewer', 'inspector'];
export const PASSWORD = 'matrix-password-1';
export const ORG_KEYS = ['A', 'A1', 'A2', 'B', 'B1'] as const;
export type OrgKey = (typeof ORG_KEYS)[number];
const UNIT_KEYS = ['A1', 'A2', 'B1'] as const;

/** Credit codes verified with both check characters (published codes of real companies). */
const CREDIT_CODES: Record<OrgKey, string> = {
  A: '12100000400000624D',
  A1: '91350100M000100Y43',
  A2: '914403001922038216',
  B: '91110108551385082Q',
  B1: '91440300708461136T',
};

export interface World {
  testApp: TestApp;
  app: FastifyInstance;
  orgs: Record<OrgKey, string>;
  /** Record ids by kind and org key: ids.machine.A1, ids.licence.B1, ... */
  ids: Record<string, Partial<Record<OrgKey, string>>>;
  /** Signed-in callers, one per role (bureau roles at A, unit roles at A1, the inspector on a campaign over A1). */
  sessions: Record<UserRole, SignedIn>;
  usernames: Record<UserRole, string>;
  /** The root admin (市版权局), for setting things up. */
  root: SignedIn;
  /** Signs a role in again (after a route ended its session). */
  refresh(role: UserRole): Promise<SignedIn>;
  inject(session: SignedIn | undefined, options: InjectOptions): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

/** The org keys a role's scope covers. */
export function scopeKeys(role: UserRole): OrgKey[] {
  return role.startsWith('bureau') ? ['A', 'A1', 'A2'] : ['A1'];
}

/** Foreign org keys a role's requests are tested with: the sibling unit and the other county's unit. */
export function foreignUnitKeys(role: UserRole): OrgKey[] {
  return role.startsWith('bureau') ? ['B1'] : ['A2', 'B1'];
}

async function expectOk(res: LightMyRequestResponse, what: string): Promise<Record<string, unknown>> {
  if (res.statusCode >= 300) throw new Error(`${what}: ${res.statusCode} ${res.body}`);
  return res.json();
}

export async function buildWorld(): Promise<World> {
  const dataDir = await mkdtemp(join(tmpdir(), 'zhengban-world-'));
  // Stand-in agent executables, so the download routes answer 200 whether or not dist/agent is built.
  const agentDownloadsDir = join(dataDir, 'agent-downloads');
  await mkdir(agentDownloadsDir);
  for (const { file } of AGENT_PLATFORMS) await writeFile(join(agentDownloadsDir, file), `stand-in ${file}`);
  const testApp = await buildTestApp({ config: { dataDir, agentDownloadsDir } });
  const { app, db, seeded } = testApp;
  const inject = (session: SignedIn | undefined, options: InjectOptions) =>
    app.inject({ ...options, headers: { ...(session?.headers ?? {}), ...(options.headers ?? {}) } });

  const orgs = {} as Record<OrgKey, string>;
  orgs.A = (await insertOrg(db, { parentId: seeded.rootOrgId, kind: 'bureau', name: '甲区版权局', creditCode: CREDIT_CODES.A })).id;
  orgs.B = (await insertOrg(db, { parentId: seeded.rootOrgId, kind: 'bureau', name: '乙县版权局', creditCode: CREDIT_CODES.B })).id;
  orgs.A1 = (await insertOrg(db, { parentId: orgs.A, kind: 'unit', name: '甲区第一中学', sector: '教育', creditCode: CREDIT_CODES.A1 })).id;
  orgs.A2 = (await insertOrg(db, { parentId: orgs.A, kind: 'unit', name: '甲区人民医院', sector: '医疗', creditCode: CREDIT_CODES.A2 })).id;
  orgs.B1 = (await insertOrg(db, { parentId: orgs.B, kind: 'unit', name: '乙县农商银行', sector: '中小金融机构', creditCode: CREDIT_CODES.B1 })).id;

  const ids: World['ids'] = { org: { ...orgs } };
  const put = (kind: string, key: OrgKey, id: string) => ((ids[kind] ??= {})[key] = id);

  const usernames: Record<UserRole, string> = {
    'bureau-admin': 'a-admin',
    'bureau-viewer': 'a-viewer',
    'unit-admin': 'a1-admin',
    'unit-viewer': 'a1-viewer',
    inspector: 'a-inspector',
  };
  const callerIds = {} as Record<UserRole, string>;
  for (const role of ROLES) {
    const orgId = role.startsWith('unit') ? orgs.A1 : orgs.A;
    callerIds[role] = (await createUser(db, { username: usernames[role], password: PASSWORD, orgId, role })).id;
  }
  // Staff users of each org: the records user routes are tried on (never the callers themselves).
  for (const key of ORG_KEYS) {
    const role: UserRole = key.length === 1 ? 'bureau-viewer' : 'unit-viewer';
    put('user', key, (await createUser(db, { username: `staff-${key.toLowerCase()}`, password: PASSWORD, orgId: orgs[key], role })).id);
  }

  // A machine with an agent in every unit, enrolled over the real endpoint; a spare token each.
  for (const key of UNIT_KEYS) {
    const { token } = await createEnrollmentToken(db, { orgId: orgs[key], label: `enrol-${key}` });
    const enrolled = await expectOk(
      await app.inject({ method: 'POST', url: '/agent/enroll', payload: { token, hostname: `pc-${key.toLowerCase()}`, platform: 'linux', agentVersion: '0.1.0' } }),
      `enrolling in ${key}`,
    );
    put('agent', key, enrolled.agentId as string);
    const [row] = await testApp.database.query<{ machine_id: string }>('SELECT machine_id FROM agents WHERE id = $1', [enrolled.agentId]);
    put('machine', key, row!.machine_id);
    put('enrollment-token', key, (await createEnrollmentToken(db, { orgId: orgs[key], label: `spare-${key}` })).id);
  }

  const root = await signIn(app, 'admin', TEST_ADMIN_PASSWORD);
  for (const key of UNIT_KEYS) {
    const licence = await expectOk(
      await inject(root, { method: 'POST', url: '/api/licences', payload: { orgId: orgs[key], product: 'windows-10-pro', type: 'perpetual-device', quantity: 3, contractNo: `HT-${key}` } }),
      `licence in ${key}`,
    );
    const licenceId = (licence.licence as { id: string }).id;
    put('licence', key, licenceId);
    const attachment = await expectOk(
      await inject(root, { method: 'POST', url: `/api/licences/${licenceId}/attachments?fileName=invoice-${key}.pdf`, headers: { 'content-type': 'application/pdf' }, payload: Buffer.from(`%PDF-1.4 invoice ${key}`) }),
      `attachment in ${key}`,
    );
    put('attachment', key, (attachment.attachment as { id: string }).id);
    await expectOk(
      await inject(root, { method: 'POST', url: `/api/annual-returns/units/${orgs[key]}/submit`, payload: { staffCount: 40, head: `负责人${key}`, liaison: `联络员${key}`, contact: '0730-8888888', signedOn: '2026-11-20' } }),
      `annual return of ${key}`,
    );
    const [annualReturn] = await testApp.database.query<{ id: string }>('SELECT id FROM annual_returns WHERE org_id = $1 ORDER BY version DESC LIMIT 1', [orgs[key]]);
    put('annual-return', key, annualReturn!.id);
    const [alert] = await testApp.database.query<{ id: string }>(
      "INSERT INTO alerts (org_id, kind, subject, message) VALUES ($1, 'shortfall', $2, $3) RETURNING id",
      [orgs[key], `subject-${key}`, `alert of ${key}`],
    );
    put('alert', key, alert!.id);
  }

  // Campaigns run by each county bureau; A's covers A1 and has the inspector.
  put('campaign', 'A', (await createCampaign(db, SYSTEM_ACTOR, { orgId: orgs.A, name: '甲区2026年普查', kind: 'survey', startsOn: null, endsOn: null, unitIds: [orgs.A1], inspectorIds: [callerIds.inspector] })).id);
  put('campaign', 'B', (await createCampaign(db, SYSTEM_ACTOR, { orgId: orgs.B, name: '乙县2026年抽查', kind: 'spot-check', startsOn: null, endsOn: null, unitIds: [orgs.B1], inspectorIds: [] })).id);

  const sessions = {} as Record<UserRole, SignedIn>;
  for (const role of ROLES) sessions[role] = await signIn(app, usernames[role], PASSWORD);

  return {
    testApp,
    app,
    orgs,
    ids,
    sessions,
    usernames,
    root,
    async refresh(role) {
      sessions[role] = await signIn(app, usernames[role], PASSWORD);
      return sessions[role];
    },
    inject,
    async close() {
      await testApp.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
