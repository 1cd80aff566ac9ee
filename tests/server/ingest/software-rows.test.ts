import t from 'tap';
import { applyInventoryDelta, softwareKey, type Software } from '@zhengban/protocol';
import { inventoryHash } from '@zhengban/protocol/hash';
import { diffSoftwareRows, softwareFromRows, softwareRowsByKey, toSoftware, toSoftwareRow } from '../../../server/src/ingest/software-rows.ts';
import { debianInventory } from '../helpers/inventory.ts';

const bash: Software = { id: 'bash:amd64', name: 'bash', version: '5.2.15-2+b2', source: 'dpkg', arch: 'amd64' };
const curl: Software = { id: 'curl:amd64', name: 'curl', version: '7.88.1-10', source: 'dpkg', arch: 'amd64' };
const vim: Software = { id: 'vim:amd64', name: 'vim', version: '2:9.0.1378-2', source: 'dpkg', arch: 'amd64' };
const wps: Software = { id: 'Kingsoft Office', name: 'WPS Office', version: '', publisher: 'Zhuhai Kingsoft', installDate: '2024-03-01', source: 'registry', hive: 'HKLM' };

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

t.test('rows give the software list back exactly: absent fields stay absent, empty strings stay empty', async (t) => {
  for (const s of [bash, wps, { id: 'x', name: 'x', source: 'rpm' } as Software]) t.strictSame(toSoftware(toSoftwareRow(s)), s);
  t.strictSame(softwareFromRows([vim, bash, curl].map(toSoftwareRow)), [bash, curl, vim], 'in key order');
});

t.test('an inventory rebuilt from its rows hashes as the agent\'s, and a delta applied to it checks as on the agent', async (t) => {
  const inventory = debianInventory([vim, bash, curl]);
  const rebuilt = { ...inventory, software: softwareFromRows([...softwareRowsByKey(inventory.software).values()]) };
  t.equal(inventoryHash(rebuilt), inventoryHash(inventory), 'the hash sorts by key: list order does not matter');
  // A list naming a key twice cannot be rebuilt (a row holds one), but a delta's result can:
  // applying a delta keeps one entry per key on the agent too.
  const twice = debianInventory([bash, curl, { ...bash, version: '9' }]);
  const rows = [...softwareRowsByKey(twice.software).values()];
  const delta = { collectedAt: twice.collectedAt, software: { upserted: [vim], removed: [softwareKey(curl)] } };
  t.equal(
    inventoryHash(applyInventoryDelta({ ...twice, software: softwareFromRows(rows) }, delta)),
    inventoryHash(applyInventoryDelta(twice, delta)),
  );
});

t.test('a new list writes only new, changed and deleted rows', async (t) => {
  const stored = [bash, curl].map(toSoftwareRow);
  const changes = diffSoftwareRows(stored, [{ ...bash, version: '5.2.15-2+b3' }, vim, curl]);
  t.same(changes.updates.map((r) => [r.name, r.version]), [['bash', '5.2.15-2+b3']]);
  t.same(changes.inserts.map((r) => [r.name, r.version]), [['vim', '2:9.0.1378-2']]);
  t.same(changes.deletes, []);
  t.same(diffSoftwareRows(stored, [curl]), { inserts: [], updates: [], deletes: ['dpkg||bash:amd64'] });
  t.same(diffSoftwareRows(stored, [curl, bash]), { inserts: [], updates: [], deletes: [] }, 'order does not matter');
});

t.test('a field going from a value to absent is a change', async (t) => {
  const { version: _version, ...noVersion } = bash;
  t.same(diffSoftwareRows([toSoftwareRow(bash)], [noVersion]).updates.map((r) => r.version), [null]);
});

t.test('a list naming a key twice keeps the last entry, as applying a delta would', async (t) => {
  const changes = diffSoftwareRows([], [bash, { ...bash, version: '9' }]);
  t.same(changes.inserts.map((r) => r.version), ['9']);
});
