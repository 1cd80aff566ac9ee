/**
 * Hostile input for the fuzz test, from a seeded PRNG so a failure can be replayed with the seed
 * it prints: wrong types, huge strings, deep nesting, prototype-pollution keys, control
 * characters, lone surrogates, broken JSON and wrong content types.
 */

/** mulberry32: small, fast, good enough to pick test input; the same seed gives the same run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class Hostile {
  constructor(readonly random: () => number) {}

  int(max: number): number {
    return Math.floor(this.random() * max);
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }

  /** A string an attacker or a broken client would send. */
  text(): string {
    return this.pick([
      () => '',
      () => ' ',
      () => 'x'.repeat(70_000),
      () => '\u0000',
      () => 'a\u0000b',
      () => '\u0007\u001b[31m\r\n',
      () => '\ud800',
      () => 'x\udfffy',
      () => '\ud83d\ude00 正版 软件',
      () => "'; DROP TABLE orgs; --",
      () => '%00%ff%ED%A0%80',
      () => '../../etc/passwd',
      () => '${jndi:ldap://x}',
      () => '=cmd|/c calc!A1',
      () => '00000000-0000-0000-0000-000000000000',
      () => 'ffffffff-ffff-4fff-bfff-ffffffffffff',
      () => '9'.repeat(400),
      () => '-1',
      () => 'NaN',
      () => '1e309',
      () => '__proto__',
      () => String.fromCharCode(...Array.from({ length: 40 }, () => this.int(0x3000))),
    ])();
  }

  /** Any JSON value, sometimes deep or large. */
  value(depth = 0): unknown {
    const choices: (() => unknown)[] = [
      () => this.text(),
      () => this.pick([0, -1, 1.5, 2 ** 53, -(2 ** 63), 1e308, Number.MAX_SAFE_INTEGER + 2]),
      () => this.pick([true, false, null]),
      () => [],
      () => ({}),
    ];
    if (depth < 4) {
      choices.push(
        () => Array.from({ length: this.int(5) }, () => this.value(depth + 1)),
        () => Object.fromEntries(Array.from({ length: this.int(5) }, () => [this.key(), this.value(depth + 1)])),
      );
    }
    return this.pick(choices)();
  }

  key(): string {
    return this.pick(['id', 'orgId', 'name', 'role', 'username', 'password', 'parentId', 'kind', 'limit', 'constructor', 'toString', 'x'.repeat(300), '\u0000', '']);
  }

  /** A deeply nested value (arrays and objects), to try the parser's and validator's recursion. */
  deep(levels: number): unknown {
    let value: unknown = 1;
    for (let i = 0; i < levels; i++) value = this.random() < 0.5 ? [value] : { a: value };
    return value;
  }

  /** A hostile variant of a valid body: fields dropped, retyped, replaced, or extra junk added. */
  mutate(body: unknown): unknown {
    if (!body || typeof body !== 'object' || Array.isArray(body)) return this.value();
    const copy: Record<string, unknown> = { ...(body as Record<string, unknown>) };
    const keys = Object.keys(copy);
    const rounds = 1 + this.int(3);
    for (let i = 0; i < rounds; i++) {
      const key = keys.length ? this.pick(keys) : this.key();
      const action = this.int(4);
      if (action === 0) delete copy[key];
      else if (action === 1) copy[key] = this.value();
      else if (action === 2) copy[key] = this.text();
      else copy[this.key()] = this.value();
    }
    return copy;
  }
}

/** Raw request bodies that are not what they claim to be. */
export function hostileRawBodies(h: Hostile): { contentType: string | undefined; payload: string | Buffer }[] {
  return [
    { contentType: 'application/json', payload: '{"name":' },
    { contentType: 'application/json', payload: '{"__proto__":{"isAdmin":true},"name":"x"}' },
    { contentType: 'application/json', payload: '{"constructor":{"prototype":{"isAdmin":true}}}' },
    { contentType: 'application/json', payload: `${'['.repeat(20_000)}1${']'.repeat(20_000)}` },
    { contentType: 'application/json', payload: JSON.stringify(h.deep(500)) },
    { contentType: 'application/json', payload: `[${'1,'.repeat(100_000)}1]` },
    { contentType: 'application/json', payload: Buffer.from([0xff, 0xfe, 0x00, 0x7b, 0x7d]) },
    { contentType: 'application/json', payload: 'null' },
    { contentType: 'application/json', payload: '"just a string"' },
    { contentType: 'application/json; charset=gbk', payload: '{}' },
    { contentType: 'text/plain', payload: 'hello' },
    { contentType: 'application/x-www-form-urlencoded', payload: 'name=x&orgId=y' },
    { contentType: 'multipart/form-data; boundary=zz', payload: '--zz\r\nContent-Disposition: form-data; name="a"\r\n\r\nb\r\n--zz--' },
    { contentType: 'application/xml', payload: '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>' },
    { contentType: undefined, payload: '{"a":1}' },
    { contentType: 'application/json', payload: 'x'.repeat(2 * 1024 * 1024) },
  ];
}
