import t from 'tap';
import { applyInventoryDelta, diffInventory, isEmptyDelta, type Inventory } from '@zhengban/protocol';
import { inventoryHash } from '@zhengban/protocol/hash';

const base: Inventory = {
  collectedAt: '2026-11-28T10:00:00Z',
  hostname: 'pc',
  agentVersion: '0.1.0',
  hardware: { macs: [] },
  os: { family: 'linux', product: 'Debian GNU/Linux 12 (bookworm)', version: '12', arch: 'x86_64', activation: { status: 'unknown', channel: 'unknown' } },
  office: [],
  software: [
    { id: 'bash:amd64', name: 'bash', version: '5.2.15-2+b2', source: 'dpkg' },
    { id: 'curl:amd64', name: 'curl', version: '7.88.1-10', source: 'dpkg' },
  ],
  findings: [],
  captureErrors: [],
};

t.test('installing, upgrading and removing a package is a small delta that reproduces the new inventory', async (t) => {
  const next: Inventory = {
    ...base,
    collectedAt: '2026-11-28T10:05:00Z',
    software: [
      { id: 'bash:amd64', name: 'bash', version: '5.2.15-2+b3', source: 'dpkg' },
      { id: 'vim:amd64', name: 'vim', version: '9.0', source: 'dpkg' },
    ],
  };
  const delta = diffInventory(base, next);
  t.same(delta.software.removed, ['dpkg||curl:amd64']);
  t.same(delta.software.upserted.map((s) => s.id).sort(), ['bash:amd64', 'vim:amd64']);
  t.notOk('os' in delta, 'unchanged sections are left out');
  t.equal(inventoryHash(applyInventoryDelta(base, delta)), inventoryHash(next));
});

t.test('a rescan that finds nothing new has the same hash and an empty delta', async (t) => {
  const again = { ...base, collectedAt: '2026-11-29T00:00:00Z', software: [...base.software].reverse() };
  t.equal(inventoryHash(again), inventoryHash(base), 'order and collection time do not change the hash');
  t.ok(isEmptyDelta(diffInventory(base, again)));
});
