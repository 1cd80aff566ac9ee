import t from 'tap';
import { buildRuleSet } from '../../../server/src/catalog/rules/index.ts';
import { fillAnnualReturn, setsOfLicence, type SnapshotLicence, type SnapshotMachine } from '../../../server/src/annual-return/fill.ts';
import { officeColumnOf } from '../../../server/src/annual-return/office-suite.ts';

const machine = (id: string, over: Partial<SnapshotMachine> = {}): SnapshotMachine => ({
  id, hostname: id, osFamily: 'windows', retired: false, virtual: false, hasAgent: true, inventoryHash: `hash-${id}`, firstSeenAt: '2023-03-01T08:00:00Z', ...over,
});
const licence = (id: string, over: Partial<SnapshotLicence> = {}): SnapshotLicence => ({
  id, productId: 'office-proplus-2019', column: 'ms-office', type: 'perpetual-device', quantity: 1, licenceCount: null, startsOn: null, endsOn: null, purchasedOn: '2023-01-05', recordedOn: '2023-01-06', ...over,
});

t.test('computers: each machine once, retired and virtual left out, registered machines without agents counted', async (t) => {
  const filled = fillAnnualReturn({
    year: 2023, asOf: '2023-12-01', licences: [],
    machines: [
      machine('m1'), machine('m1'), // the same PC listed twice (re-imaged, merged by hardware identity)
      machine('m2', { osFamily: 'kylin' }),
      machine('m3', { osFamily: null, hasAgent: false, inventoryHash: null }),
      machine('m4', { retired: true }),
      machine('m5', { virtual: true }),
      machine('m6', { firstSeenAt: '2023-12-02T00:00:00Z' }),
    ],
  });
  t.same(filled.figures, { computers: 3, windows: 1, kylin: 1, msOffice: 0, wps: 0 });
  t.same(filled.evidence.computers, ['m1', 'm2', 'm3']);
  t.same(filled.excluded, { retired: ['m4'], virtual: ['m5'], notYetKnown: ['m6'] });
});

t.test('Kylin counts only 银河麒麟: NeoKylin, UOS and Deepin machines are computers but not Kylin', async (t) => {
  const filled = fillAnnualReturn({
    year: 2023, asOf: '2023-12-01', licences: [],
    machines: [machine('k', { osFamily: 'kylin' }), machine('n', { osFamily: 'neokylin' }), machine('u', { osFamily: 'uos' }), machine('d', { osFamily: 'deepin' }), machine('l', { osFamily: 'linux' })],
  });
  t.same(filled.figures, { computers: 5, windows: 0, kylin: 1, msOffice: 0, wps: 0 });
  t.same(filled.evidence.kylin, ['k']);
});

t.test('Office and WPS sets: licences in force on the snapshot day; a volume agreement counts its N licences', async (t) => {
  const filled = fillAnnualReturn({
    year: 2023, asOf: '2023-12-01', machines: [],
    licences: [
      licence('l1', { quantity: 3 }),
      licence('l2', { type: 'volume', quantity: 1, licenceCount: 50 }),
      licence('l3', { type: 'subscription', quantity: 10, startsOn: '2023-01-01', endsOn: '2023-06-30' }), // lapsed
      licence('l4', { quantity: 7, purchasedOn: '2024-01-02' }), // bought after the snapshot day
      licence('w1', { productId: 'wps-professional-2019', column: 'wps', quantity: 20 }),
      licence('w2', { productId: 'wps-365', column: 'wps', type: 'subscription', quantity: 5, startsOn: '2023-01-01', endsOn: null }), // no end date: not trusted
      licence('x1', { productId: 'yozo-office', column: null, quantity: 9 }),
    ],
  });
  t.same(filled.figures, { computers: 0, windows: 0, kylin: 0, msOffice: 53, wps: 20 });
  t.same(filled.evidence.msOffice, ['l1', 'l2']);
  t.same(filled.evidence.wps, ['w1']);
  t.same(filled.licenceSets, { l1: 3, l2: 50, w1: 20 });
});

t.test('a ledger row with no start or purchase date counts from the day it was entered, not in earlier years', async (t) => {
  // Entered on 2024-03-05 without dates: not in force for the 2023 return (snapshot 2023-12-01),
  // in force for 2024's. Without the fallback it would count in every past year's row.
  const undated = licence('u1', { productId: 'wps-professional-2019', column: 'wps', quantity: 5, purchasedOn: null, recordedOn: '2024-03-05' });
  t.same(fillAnnualReturn({ year: 2023, asOf: '2023-12-01', machines: [], licences: [undated] }).figures.wps, 0);
  t.same(fillAnnualReturn({ year: 2024, asOf: '2024-12-01', machines: [], licences: [undated] }).figures.wps, 5);
});

t.test('sets of a ledger row', async (t) => {
  t.equal(setsOfLicence({ type: 'volume', quantity: 1, licenceCount: 200 }), 200);
  t.equal(setsOfLicence({ type: 'volume', quantity: 2, licenceCount: null }), 2);
  t.equal(setsOfLicence({ type: 'site', quantity: 1, licenceCount: 80 }), 80);
  t.equal(setsOfLicence({ type: 'perpetual-device', quantity: 12, licenceCount: null }), 12);
});

t.test('form column of catalog products', async (t) => {
  const { products } = buildRuleSet();
  const cases: Array<[string, string | null]> = [
    ['office-proplus-2019', 'ms-office'], ['m365-apps-enterprise', 'ms-office'], ['m365-personal', null],
    ['wps-professional-2019', 'wps'], ['wps-365', 'wps'], ['wps-personal', null], ['yozo-office', null], ['kylin-desktop-v10', null],
  ];
  for (const [id, column] of cases) t.equal(officeColumnOf(products.get(id), products), column, id);
});
