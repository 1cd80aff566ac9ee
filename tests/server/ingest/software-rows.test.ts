import t from 'tap';
import type { InventoryDelta, Software } from '@zhengban/protocol';
import { diffSoftwareRows, softwareChangesForDelta, toSoftwareRow } from '../../../server/src/ingest/software-rows.ts';

const bash: Software = { id: 'bash:amd64', name: 'bash', version: '5.2.15-2+b2', source: 'dpkg', arch: 'amd64' };
const curl: Software = { id: 'curl:amd64', name: 'curl', version: '7.88.1-10', source: 'dpkg', arch: 'amd64' };
const vim: Software = { id: 'vim:amd64', name: 'vim', version: '2:9.0.1378-2', source: 'dpkg', arch: 'amd64' };
const delta = (upserted: Software[], removed: string[]): InventoryDelta => ({ collectedAt: '2026-11-28T10:00:00Z', software: { upserted, removed } });

t.test('a row keeps every field, absent ones as null, keyed like the protocol', async (t) => {
  t.same(toSoftwareRow({ id: 'Kingsoft Office', name: 'WPS Office', source: 'registry', hive: 'HKLM' }), {
    key: 'registry|HKLM|Kingsoft Office',
    softwareId: 'Kingsoft Office',
    name: 'WPS Office',
    version: null,
    publisher: null,
    installDate: null,
    source: 'registry',
    hive: 'HKLM',
    arch: null,
  });
});

t.test('a full report writes only new, changed and deleted rows', async (t) => {
  const stored = [bash, curl].map(toSoftwareRow);
  const changes = diffSoftwareRows(stored, [{ ...bash, version: '5.2.15-2+b3' }, vim, curl]);
  t.same(changes.upserts.map((r) => [r.name, r.version]), [['bash', '5.2.15-2+b3'], ['vim', '2:9.0.1378-2']]);
  t.same(changes.deletes, []);
  t.same(diffSoftwareRows(stored, [curl]), { upserts: [], deletes: ['dpkg||bash:amd64'] });
  t.same(diffSoftwareRows(stored, [curl, bash]), { upserts: [], deletes: [] }, 'order does not matter');
});

t.test('a field going from a value to absent is a change', async (t) => {
  const { version: _version, ...noVersion } = bash;
  t.same(diffSoftwareRows([toSoftwareRow(bash)], [noVersion]).upserts.map((r) => r.version), [null]);
});

t.test('a list naming a key twice keeps the last entry, as applying a delta would', async (t) => {
  const changes = diffSoftwareRows([], [bash, { ...bash, version: '9' }]);
  t.same(changes.upserts.map((r) => r.version), ['9']);
});

t.test('a delta writes its real changes only', async (t) => {
  const base = [bash, curl];
  t.same(softwareChangesForDelta(base, delta([vim], ['dpkg||curl:amd64'])), { upserts: [toSoftwareRow(vim)], deletes: ['dpkg||curl:amd64'] });
  t.same(softwareChangesForDelta(base, delta([bash], [])), { upserts: [], deletes: [] }, 'a re-stated entry costs nothing');
  t.same(softwareChangesForDelta(base, delta([], ['dpkg||nano:amd64'])), { upserts: [], deletes: [] }, 'removing an absent key is a no-op');
  t.same(
    softwareChangesForDelta(base, delta([{ ...curl, version: '8' }], ['dpkg||curl:amd64'])).deletes,
    [],
    'a key both removed and upserted ends up upserted (removals apply first)',
  );
});
