import t, { type Test } from 'tap';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Inventory, softwareKey } from '@zhengban/protocol';
import { interpretEvidence } from '../../../agent/src/interpret/index.ts';
import type { Expected } from '../../fixtures/evidence/lib/fixture.ts';
import { loadBundle } from './load-bundle.ts';

const corpus = join(dirname(fileURLToPath(import.meta.url)), '../../fixtures/evidence');
const bundles = readdirSync(corpus)
  .filter((name) => existsSync(join(corpus, name, 'manifest.json')))
  .sort();

/** Checks each listed field; null means "must be absent". */
function checkFields(t: Test, actual: Record<string, unknown> | undefined, expected: Record<string, unknown>, label: string): void {
  for (const [key, want] of Object.entries(expected)) {
    const got = actual?.[key];
    if (want === null) t.equal(got, undefined, `${label}.${key} is absent`);
    else t.same(got, want, `${label}.${key}`);
  }
}

t.test('the corpus holds at least 30 evidence bundles', async (t) => {
  t.ok(bundles.length >= 30, `${bundles.length} bundles`);
});

for (const name of bundles) {
  t.test(name, async (t) => {
    const expected = JSON.parse(readFileSync(join(corpus, name, 'expected.json'), 'utf8')) as Expected & { proves: string };
    const inventory = interpretEvidence(loadBundle(join(corpus, name)));
    t.comment(expected.proves);
    t.ok(Inventory.safeParse(inventory).success, 'the inventory passes the protocol schema');

    if (expected.os) checkFields(t, inventory.os as Record<string, unknown>, expected.os, 'os');
    if (expected.hardware) checkFields(t, inventory.hardware as Record<string, unknown>, expected.hardware, 'hardware');

    if (expected.office) {
      const order = (o: Record<string, unknown>) => `${String(o.vendor)}|${String(o.product)}`;
      const got = [...inventory.office].sort((a, b) => order(a).localeCompare(order(b)));
      const want = [...expected.office].sort((a, b) => order(a).localeCompare(order(b)));
      t.same(got.map(order), want.map(order), 'office suites: one entry per suite');
      want.forEach((w, i) => checkFields(t, got[i] as Record<string, unknown> | undefined, w, `office[${order(w)}]`));
    }

    if (expected.findings) {
      t.same(inventory.findings.map((f) => f.code).sort(), expected.findings.map((f) => f.code).sort(), 'finding codes');
      for (const want of expected.findings) {
        const matches = inventory.findings.filter((f) => f.code === want.code);
        if (want.severity) t.ok(matches.some((f) => f.severity === want.severity), `${want.code} has severity ${want.severity}`);
        if (want.evidenceIncludes) {
          t.ok(
            matches.some((f) => f.evidence.includes(want.evidenceIncludes!)),
            `${want.code} evidence mentions "${want.evidenceIncludes}" (got: ${matches.map((f) => f.evidence).join(' | ')})`,
          );
        }
      }
    }

    if (expected.softwareCount !== undefined) t.equal(inventory.software.length, expected.softwareCount, 'software count');
    const byKey = new Map(inventory.software.map((s) => [softwareKey(s), s]));
    for (const want of expected.software ?? []) {
      const key = softwareKey(want as { source: 'registry' | 'dpkg' | 'rpm'; hive?: string; id: string });
      t.ok(byKey.has(key), `software ${key} is listed`);
      checkFields(t, byKey.get(key) as Record<string, unknown> | undefined, want, `software[${key}]`);
    }
    for (const absent of expected.softwareAbsent ?? []) {
      t.notOk(inventory.software.some((s) => s.name === absent || s.id === absent), `${absent} is not listed`);
    }
    if (expected.captureErrors) t.same(inventory.captureErrors.map((e) => e.source).sort(), [...expected.captureErrors].sort(), 'capture errors');
  });
}
