import t from 'tap';
import { identityFromHardware, matchMachine, type MachineCandidate } from '../../../server/src/machines/identity.ts';

const pc = { id: 'pc', uuid: '4c4c4544-0042-3510-8052-b4c04f4e3732', serial: 'B45RNC2', macs: ['b4:45:06:aa:bb:cc'], osMachineId: 'aaa' };

t.test('placeholders and case differences are normalised away', async (t) => {
  t.same(
    identityFromHardware({
      uuid: '4C4C4544-0042-3510-8052-B4C04F4E3732',
      serial: 'To be filled by O.E.M.',
      machineId: 'ABC',
      macs: ['B4-45-06-AA-BB-CC', '00:00:00:00:00:00', 'garbage'],
    }),
    { uuid: pc.uuid, serial: undefined, macs: ['b4:45:06:aa:bb:cc'], osMachineId: 'abc' },
  );
  t.equal(identityFromHardware({ uuid: '03000200-0400-0500-0006-000700080009', macs: [] }).uuid, undefined, 'a UUID many boards share identifies nothing');
  t.same(identityFromHardware(undefined), { uuid: undefined, serial: undefined, macs: [], osMachineId: undefined });
});

const cases: { name: string; incoming: Omit<MachineCandidate, 'id'>; candidates: MachineCandidate[]; expected: string | undefined }[] = [
  { name: 'a reinstalled PC (same UUID and serial, new machine-id) is the same machine', incoming: { ...pc, osMachineId: 'new' }, candidates: [pc], expected: 'pc' },
  { name: 'a cloned image (same machine-id, other UUID) is another machine', incoming: { uuid: 'c10c10c1-0000-4000-8000-000000000001', serial: 'XYZ', macs: ['b4:45:06:00:00:01'], osMachineId: 'aaa' }, candidates: [pc], expected: undefined },
  { name: 'a clone even with the same MAC (VM copied with its MAC) but another UUID is another machine', incoming: { uuid: 'c10c10c1-0000-4000-8000-000000000001', macs: pc.macs, osMachineId: 'aaa' }, candidates: [pc], expected: undefined },
  { name: 'the same UUID with another serial (swapped board? copied VM UUID) is another machine', incoming: { ...pc, serial: 'OTHER' }, candidates: [pc], expected: undefined },
  { name: 'without UUIDs, the same serial and a shared MAC is the same machine', incoming: { serial: 'B45RNC2', macs: pc.macs }, candidates: [{ ...pc, uuid: undefined }], expected: 'pc' },
  { name: 'without UUID or serial (agent not root), the same machine-id and a shared MAC is the same machine', incoming: { macs: pc.macs, osMachineId: 'aaa' }, candidates: [pc], expected: 'pc' },
  { name: 'the same machine-id alone is not enough', incoming: { macs: ['02:00:00:00:00:09'], osMachineId: 'aaa' }, candidates: [pc], expected: undefined },
  { name: 'nothing known matches nothing', incoming: { macs: [] }, candidates: [pc], expected: undefined },
  {
    name: 'a UUID match wins over a weaker match seen more recently',
    incoming: { ...pc, osMachineId: 'bbb' },
    candidates: [{ id: 'recent', macs: pc.macs, osMachineId: 'bbb' }, pc],
    expected: 'pc',
  },
];
for (const c of cases) {
  t.test(c.name, async (t) => {
    t.equal(matchMachine({ ...c.incoming }, c.candidates), c.expected);
  });
}
