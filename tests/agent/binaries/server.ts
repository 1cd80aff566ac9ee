/** The real server for binary tests: listening on 127.0.0.1, seeded, with an admin session for its REST API. */
import type { Test } from 'tap';
import { buildTestApp, TEST_ADMIN_PASSWORD, type TestApp } from '../../helpers/db.ts';

export interface RunningServer {
  app: TestApp;
  /** An enrolment token for the default unit. */
  token: string;
  /** GET a REST API path as the admin. */
  getJson<T = unknown>(path: string): Promise<T>;
}

export async function startRealServer(t: Test): Promise<RunningServer> {
  const app = await buildTestApp({ listen: true });
  t.teardown(app.close);
  const login = await fetch(`${app.baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: TEST_ADMIN_PASSWORD }),
  });
  if (login.status !== 200) throw new Error(`admin login failed: HTTP ${login.status} ${await login.text()}`);
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
  return {
    app,
    token: app.seeded.startupToken,
    async getJson<T>(path: string) {
      const res = await fetch(`${app.baseUrl}${path}`, { headers: { cookie } });
      if (res.status !== 200) throw new Error(`GET ${path}: HTTP ${res.status} ${await res.text()}`);
      return (await res.json()) as T;
    },
  };
}

/** The machines list as the REST API gives it (only the fields these tests read). */
export interface MachineList {
  machines: Array<{ id: string; hostname: string; platform?: string; os?: unknown }>;
}

/** One machine as GET /api/machines/:id gives it (only the fields these tests read). */
export interface MachineDetail {
  id: string;
  hostname: string;
  os: { family: string; product: string };
  agents: Array<{ platform: string }>;
  software: Array<{ name: string; version: string | null; source: string; hive: string | null }>;
}
