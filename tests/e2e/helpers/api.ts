/**
 * The REST API as a dashboard user sees it: sign in (changing the generated first-start password
 * when the server asks, as a new admin must), keep the session cookie, list machines.
 */

export interface MachineListItem {
  id: string;
  hostname: string;
  softwareCount: number;
  os: { family: string | null; product: string | null; version: string | null; arch: string | null };
  lastSeenAt: string | null;
}

export interface SoftwareItem {
  key: string;
  id: string;
  name: string;
  version: string | null;
  source: string;
}

export interface MachineDetail extends MachineListItem {
  inventoryHash: string | null;
  software: SoftwareItem[];
  agents: { id: string; lastSeq: number }[];
}

/** The password e2e tests give the admin when the server demands a change of the generated one. */
export const E2E_ADMIN_PASSWORD = 'e2e-admin-password-1';

interface LoginBody {
  user?: { mustChangePassword?: boolean };
  csrfToken?: string;
}

export class ApiClient {
  private readonly cookies = new Map<string, string>();
  private csrfToken = '';

  private constructor(readonly baseUrl: string) {}

  /**
   * POST /api/auth/login; when the account holds a generated password the server wants changed,
   * changes it to E2E_ADMIN_PASSWORD first. Throws with the server's answer when refused.
   */
  static async login(baseUrl: string, username: string, password: string): Promise<ApiClient> {
    const client = new ApiClient(baseUrl);
    const body = await client.request<LoginBody>('POST', '/api/auth/login', { username, password });
    client.csrfToken = body.csrfToken ?? '';
    if (body.user?.mustChangePassword) {
      const changed = await client.request<LoginBody>('POST', '/api/auth/password', { currentPassword: password, newPassword: E2E_ADMIN_PASSWORD });
      client.csrfToken = changed.csrfToken ?? client.csrfToken;
    }
    return client;
  }

  async get<T>(path: string): Promise<T> {
    return this.request<T>('GET', path);
  }

  async machines(): Promise<MachineListItem[]> {
    return (await this.get<{ machines: MachineListItem[] }>('/api/machines')).machines;
  }

  async machine(id: string): Promise<MachineDetail> {
    return (await this.get<{ machine: MachineDetail }>(`/api/machines/${id}`)).machine;
  }

  private async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ') };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (method !== 'GET' && this.csrfToken) headers['x-csrf-token'] = this.csrfToken;
    const res = await fetch(`${this.baseUrl}${path}`, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
    for (const cookie of res.headers.getSetCookie()) {
      const [pair] = cookie.split(';');
      const eq = pair!.indexOf('=');
      this.cookies.set(pair!.slice(0, eq), pair!.slice(eq + 1));
    }
    if (res.status !== 200) throw new Error(`${method} ${path}: HTTP ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  }
}
