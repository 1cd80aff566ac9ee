/** The REST API as a dashboard user sees it: sign in with the session cookie, list machines. */

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

export class ApiClient {
  private constructor(
    readonly baseUrl: string,
    private readonly cookie: string,
  ) {}

  /** POST /api/auth/login; throws with the server's answer when refused. */
  static async login(baseUrl: string, username: string, password: string): Promise<ApiClient> {
    const res = await fetch(`${baseUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password }),
    });
    if (res.status !== 200) throw new Error(`login refused: HTTP ${res.status} ${await res.text()}`);
    const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    return new ApiClient(baseUrl, cookie);
  }

  async get<T>(path: string): Promise<T> {
    const res = await fetch(`${this.baseUrl}${path}`, { headers: { cookie: this.cookie } });
    if (res.status !== 200) throw new Error(`GET ${path}: HTTP ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  }

  async machines(): Promise<MachineListItem[]> {
    return (await this.get<{ machines: MachineListItem[] }>('/api/machines')).machines;
  }

  async machine(id: string): Promise<MachineDetail> {
    return (await this.get<{ machine: MachineDetail }>(`/api/machines/${id}`)).machine;
  }
}
