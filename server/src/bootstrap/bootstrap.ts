import { createEnrollmentToken, upsertLabelledToken } from '../agents/enrollment-tokens.ts';
import { generatePassword } from '../auth/secrets.ts';
import type { Db } from '../db/database.ts';
import { getSetting, putSetting } from '../db/settings.ts';
import { insertOrg } from '../orgs/queries.ts';
import { createUser, getUserByUsername } from '../users/queries.ts';

export const ROOT_ORG_NAME = '市版权局';
export const DEFAULT_UNIT_NAME = '默认单位';
export const ADMIN_USERNAME = 'admin';
export const ENV_TOKEN_LABEL = 'ZHENGBAN_ENROLL_TOKEN';
export const STARTUP_TOKEN_LABEL = 'startup';
/** The printed enrol command stays usable for a day; a restart prints a fresh one. */
export const STARTUP_TOKEN_TTL_MS = 24 * 60 * 60 * 1000;

export interface BootstrapOptions {
  /** ZHENGBAN_ADMIN_PASSWORD: used only when the admin user is first created. */
  adminPassword?: string | undefined;
  /** ZHENGBAN_ENROLL_TOKEN. */
  enrollToken?: string | undefined;
}

export interface BootstrapResult {
  rootOrgId: string;
  defaultUnitId: string;
  admin: {
    username: string;
    /** Set only when the admin was created just now with a generated password: print it once. */
    generatedPassword?: string;
    createdNow: boolean;
  };
  /** A fresh 24-hour token for the default unit, for the printed enrol command. */
  startupToken: string;
}

/**
 * First-start seeding, safe to run on every start: creates the root bureau (市版权局), the
 * default unit (默认单位) and the `admin` user when missing, upserts ZHENGBAN_ENROLL_TOKEN, and
 * issues a fresh start-up enrolment token. Run it under the database's start-up lock.
 */
export async function bootstrap(db: Db, options: BootstrapOptions): Promise<BootstrapResult> {
  let rootOrgId = await getSetting(db, 'org.root-id');
  if (!rootOrgId) {
    rootOrgId = (await insertOrg(db, { parentId: null, kind: 'bureau', name: ROOT_ORG_NAME })).id;
    await putSetting(db, 'org.root-id', rootOrgId);
  }
  let defaultUnitId = await getSetting(db, 'org.default-unit-id');
  if (!defaultUnitId) {
    defaultUnitId = (await insertOrg(db, { parentId: rootOrgId, kind: 'unit', name: DEFAULT_UNIT_NAME })).id;
    await putSetting(db, 'org.default-unit-id', defaultUnitId);
  }

  const admin: BootstrapResult['admin'] = { username: ADMIN_USERNAME, createdNow: false };
  if (!(await getUserByUsername(db, ADMIN_USERNAME))) {
    const password = options.adminPassword ?? generatePassword();
    await createUser(db, {
      username: ADMIN_USERNAME,
      password,
      orgId: rootOrgId,
      role: 'bureau-admin',
      // A generated password has been shown on a console; make its owner replace it.
      mustChangePassword: !options.adminPassword,
    });
    admin.createdNow = true;
    if (!options.adminPassword) admin.generatedPassword = password;
  }

  if (options.enrollToken) await upsertLabelledToken(db, defaultUnitId, ENV_TOKEN_LABEL, options.enrollToken);
  const { token: startupToken } = await createEnrollmentToken(db, {
    orgId: defaultUnitId,
    label: STARTUP_TOKEN_LABEL,
    expiresAt: new Date(Date.now() + STARTUP_TOKEN_TTL_MS),
  });

  return { rootOrgId, defaultUnitId, admin, startupToken };
}
