/**
 * The inventory hash is a contract between every agent ever shipped and the server: the canonical
 * text it is computed over must never change. canonicalJson is written for speed; these tests pin
 * it to the plain definition (keys sorted by UTF-16 code units, undefined dropped, arrays in order)
 * and pin one inventory's hash to the value agents have always computed.
 */
import t from 'tap';
import { canonicalJson, type Inventory } from '@zhengban/protocol';
import { inventoryHash } from '@zhengban/protocol/hash';

/** The plain definition, as first written in protocol/src/delta.ts. */
function referenceCanonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : referenceCanonicalJson(v))).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${referenceCanonicalJson(v)}`).join(',')}}`;
}

/** Deterministic pseudo-random values of every JSON shape, with awkward keys and strings. */
function randomValue(seed: { n: number }, depth: number): unknown {
  const next = () => (seed.n = (seed.n * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const strings = ['', 'a', 'B', 'é', '正版', '\ud83d\ude00', '"quoted"', 'back\\slash', 'line\nbreak', '10', '9', '__proto__', 'constructor'];
  const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)]!;
  const kind = depth <= 0 ? Math.floor(next() * 5) : Math.floor(next() * 8);
  switch (kind) {
    case 0: return pick(strings);
    case 1: return pick([0, -0, 1.5, -42, 1e21, 2 ** 53, Number.NaN, Number.POSITIVE_INFINITY]);
    case 2: return pick([true, false, null]);
    case 3: return undefined;
    case 4: return pick(strings) + pick(strings);
    case 5: return Array.from({ length: Math.floor(next() * 5) }, () => randomValue(seed, depth - 1));
    default: {
      const object: Record<string, unknown> = {};
      for (let i = Math.floor(next() * 6); i > 0; i--) object[pick(strings) + pick(['', 'x', 'Z'])] = randomValue(seed, depth - 1);
      return object;
    }
  }
}

t.test('canonicalJson gives exactly the text of the plain definition', async (t) => {
  const seed = { n: 20261128 };
  for (let i = 0; i < 2_000; i++) {
    const value = randomValue(seed, 4);
    const expected = referenceCanonicalJson(value);
    if (canonicalJson(value) !== expected) return t.fail(`differs for ${expected}`);
  }
  // eslint-disable-next-line no-sparse-arrays
  const edge: unknown[] = [[1, , 3], JSON.parse('{"__proto__":{"b":1,"a":2}}'), { z: undefined, a: [undefined] }, new Date(0), {}, []];
  for (const value of edge) t.equal(canonicalJson(value), referenceCanonicalJson(value));
  t.pass('2,000 random values and the edge cases match');
});

t.test('the hash of a known inventory is the one agents have always sent', async (t) => {
  const inventory: Inventory = {
    collectedAt: '2026-11-28T09:00:00+08:00',
    hostname: 'pc-07',
    agentVersion: '0.1.0',
    hardware: { uuid: '5a5a0000-0000-4000-8000-000000000007', serial: 'SIM00007', macs: ['02:5a:00:00:00:07'], memoryMb: 16_000, virtual: false },
    os: { family: 'kylin', product: 'Kylin Desktop V10 SP1', edition: 'desktop', version: 'V10 SP1 2403', arch: 'x86_64', activation: { status: 'licensed', channel: 'retail', expires: '2027-06-30' } },
    office: [{ vendor: 'kingsoft', product: 'WPS Office 2019 专业版', edition: 'professional', scope: 'machine', activation: { status: 'licensed', channel: 'retail' } }],
    software: [
      { id: 'wps-office:amd64', name: 'wps-office', version: '11.8.2.1132', publisher: 'Kingsoft', source: 'dpkg', arch: 'amd64' },
      { id: 'bash:amd64', name: 'bash', version: '5.1-6ubuntu1', source: 'dpkg', arch: 'amd64' },
      { id: '{90160000-0011-0000-1000-0000000FF1CE}', name: 'Microsoft Office Professional Plus 2016', source: 'registry', hive: 'HKLM', installDate: '2024-03-01' },
    ],
    findings: [
      { code: 'kms.public-host', severity: 'high', evidence: 'KeyManagementServiceName = kms.example.net "quoted" \\ back' },
      { code: 'activator.kmspico', severity: 'critical', evidence: 'C:\\Program Files\\KMSpico' },
    ],
    captureErrors: [],
  };
  t.equal(inventoryHash(inventory), '9c4c3df923bf5f126b3dfce86132b69d7b2082065b7df108fe5969c2c39fe70f');
});
