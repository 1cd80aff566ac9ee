/**
 * Licence positions, computed by hand. Each case lists the unit's installs and ledger and the
 * numbers an inspector would write down, with the reasoning in the comments.
 */
import t from 'tap';
import { buildRuleSet } from '../../../server/src/catalog/rules/index.ts';
import {
  computeLicencePositions,
  isLicenceInForce,
  type InstallInput,
  type LicenceInput,
  type LicencePosition,
} from '../../../server/src/compliance/licence-position.ts';

const catalog = buildRuleSet();

const installs = (spec: Record<string, string[]>): InstallInput[] =>
  Object.entries(spec).flatMap(([machineId, products]) => products.map((productId) => ({ machineId, productId })));

const licence = (id: string, productId: string, seats: number, extra: Partial<LicenceInput> = {}): LicenceInput => ({
  id,
  productId,
  type: 'perpetual-device',
  seats,
  startsOn: '2023-01-01',
  endsOn: null,
  boundMachineIds: [],
  ...extra,
});

/** The numbers of one position, for compact comparisons. */
const numbers = (p: LicencePosition | undefined) =>
  p && { installs: p.installs, licences: p.licences, covered: p.covered, shortfall: p.shortfall, surplus: p.surplus };
const byProduct = (positions: LicencePosition[]) => new Map(positions.map((p) => [p.productId, p]));

t.test('downgrade rights: newer Office licences cover older installs of the same edition', async (t) => {
  // Ledger: 3 x Office ProPlus 2021 (L21), 1 x Office ProPlus 2019 (L19).
  // Installs: m1 2019, m2 2019, m3 2016, m4 2021, m5 Standard 2016, m6 both 2016 and 2019.
  // Counting: m6 counts once, under 2019 (the higher rank of its family).
  // Exact:     L21 -> m4 (2 seats left); L19 -> m1 (first 2019 install by machine id; 0 left).
  // Downgrade, highest install rank first: m2 (2019) -> L21, m6 (2019) -> L21 (0 left);
  //            m3 (2016) and m5 (Standard 2016, ProPlus has down-edition rights) find no seat.
  const positions = byProduct(
    computeLicencePositions(
      installs({
        m1: ['office-proplus-2019'],
        m2: ['office-proplus-2019'],
        m3: ['office-proplus-2016'],
        m4: ['office-proplus-2021'],
        m5: ['office-standard-2016'],
        m6: ['office-proplus-2016', 'office-proplus-2019'],
      }),
      [licence('L21', 'office-proplus-2021', 3), licence('L19', 'office-proplus-2019', 1)],
      '2025-06-01',
      catalog,
    ),
  );
  t.same(numbers(positions.get('office-proplus-2021')), { installs: 1, licences: 3, covered: 1, shortfall: 0, surplus: 0 });
  t.same(numbers(positions.get('office-proplus-2019')), { installs: 3, licences: 1, covered: 3, shortfall: 0, surplus: 0 });
  t.same(numbers(positions.get('office-proplus-2016')), { installs: 1, licences: 0, covered: 0, shortfall: 1, surplus: 0 });
  t.same(numbers(positions.get('office-standard-2016')), { installs: 1, licences: 0, covered: 0, shortfall: 1, surplus: 0 });
  t.same(positions.get('office-proplus-2019')!.coveredBy, [
    { licenceId: 'L19', via: 'exact', machineIds: ['m1'] },
    { licenceId: 'L21', via: 'downgrade', machineIds: ['m2', 'm6'] },
  ]);
  t.same(positions.get('office-proplus-2021')!.seatsUsed, 3, 'all three 2021 seats are in use: one exact, two by downgrade');
  t.same(positions.get('office-proplus-2016')!.machines.uncovered, ['m3']);
});

t.test('downgrade rights: Windows 11 Pro covers 10 Pro and 7 Professional; Enterprise covers Pro of its own version only', async (t) => {
  // Ledger: 2 x Windows 11 Pro (W11), 1 x Windows 10 Enterprise (E10).
  // Installs: a 11 Pro, b 10 Pro, c 7 Pro, d 11 Pro, e 10 Enterprise.
  // Exact: W11 -> a, d (0 left); E10 -> e (0 left). Downgrade: b (10 Pro) and c (7 Pro): nothing left.
  let positions = byProduct(
    computeLicencePositions(
      installs({ a: ['windows-11-pro'], b: ['windows-10-pro'], c: ['windows-7-pro'], d: ['windows-11-pro'], e: ['windows-10-enterprise'] }),
      [licence('W11', 'windows-11-pro', 2), licence('E10', 'windows-10-enterprise', 1)],
      '2025-06-01',
      catalog,
    ),
  );
  t.same(numbers(positions.get('windows-10-pro')), { installs: 1, licences: 0, covered: 0, shortfall: 1, surplus: 0 });
  // With 4 x W11 and 2 x E10 instead: exact a, d (2 left), e (1 left). Downgrade, highest rank first:
  // b (10 Pro): the lowest-ranked licence that covers it is E10 (rank 10, down-edition) -> E10;
  // c (7 Pro): E10 has none left -> W11. One W11 seat stays free.
  positions = byProduct(
    computeLicencePositions(
      installs({ a: ['windows-11-pro'], b: ['windows-10-pro'], c: ['windows-7-pro'], d: ['windows-11-pro'], e: ['windows-10-enterprise'] }),
      [licence('W11', 'windows-11-pro', 4), licence('E10', 'windows-10-enterprise', 2)],
      '2025-06-01',
      catalog,
    ),
  );
  t.same(positions.get('windows-10-pro')!.coveredBy, [{ licenceId: 'E10', via: 'downgrade', machineIds: ['b'] }]);
  t.same(positions.get('windows-7-pro')!.coveredBy, [{ licenceId: 'W11', via: 'downgrade', machineIds: ['c'] }]);
  t.same(numbers(positions.get('windows-11-pro')), { installs: 2, licences: 4, covered: 2, shortfall: 0, surplus: 1 });
  t.same(numbers(positions.get('windows-10-enterprise')), { installs: 1, licences: 2, covered: 1, shortfall: 0, surplus: 0 });
  // An upgrade is not a downgrade: a Windows 10 Pro licence never covers Windows 11 Pro.
  positions = byProduct(computeLicencePositions(installs({ a: ['windows-11-pro'] }), [licence('W10', 'windows-10-pro', 5)], '2025-06-01', catalog));
  t.same(numbers(positions.get('windows-11-pro')), { installs: 1, licences: 0, covered: 0, shortfall: 1, surplus: 0 });
  t.same(numbers(positions.get('windows-10-pro')), { installs: 0, licences: 5, covered: 0, shortfall: 0, surplus: 5 });
});

t.test('suites: one seat of Microsoft 365 E3 covers Windows Enterprise and the Apps on one machine', async (t) => {
  // Ledger: 2 x M365 E3 (S). Installs: m1 Windows 11 Enterprise + M365 Apps; m2 Windows 10
  // Enterprise; m3 M365 Apps. Suite phase, machines in id order: m1 takes seat 1 for both of its
  // installs, m2 takes seat 2, m3 finds none: Apps 2 installs, 1 covered, 1 short.
  const positions = byProduct(
    computeLicencePositions(
      installs({ m1: ['windows-11-enterprise', 'm365-apps-enterprise'], m2: ['windows-10-enterprise'], m3: ['m365-apps-enterprise'] }),
      [licence('S', 'm365-e3', 2, { type: 'subscription', startsOn: '2025-01-01', endsOn: '2025-12-31' })],
      '2025-06-01',
      catalog,
    ),
  );
  t.same(numbers(positions.get('m365-e3')), { installs: 0, licences: 2, covered: 0, shortfall: 0, surplus: 0 });
  t.same(numbers(positions.get('windows-11-enterprise')), { installs: 1, licences: 0, covered: 1, shortfall: 0, surplus: 0 });
  t.same(numbers(positions.get('windows-10-enterprise')), { installs: 1, licences: 0, covered: 1, shortfall: 0, surplus: 0 });
  t.same(numbers(positions.get('m365-apps-enterprise')), { installs: 2, licences: 0, covered: 1, shortfall: 1, surplus: 0 });
  t.same(positions.get('m365-apps-enterprise')!.machines.uncovered, ['m3']);
  t.same(positions.get('m365-e3')!.seatsUsed, 2);
});

t.test('OEM licences cover only the machines they came with', async (t) => {
  // Ledger: OEM Windows 10 Home bound to m1 and m2 (O1); OEM Windows 10 Pro bound to m4 (O2).
  // Installs: m1 10 Home (covered by O1), m2 now runs Kylin (O1's second seat is unused),
  // m3 10 Home (not bound: the OEM licence does not move), m4 7 Professional (O2 by downgrade).
  const positions = byProduct(
    computeLicencePositions(
      installs({ m1: ['windows-10-home'], m2: ['kylin-desktop-v10'], m3: ['windows-10-home'], m4: ['windows-7-pro'] }),
      [
        licence('O1', 'windows-10-home', 2, { type: 'oem', boundMachineIds: ['m1', 'm2'] }),
        licence('O2', 'windows-10-pro', 1, { type: 'oem', boundMachineIds: ['m4'] }),
      ],
      '2025-06-01',
      catalog,
    ),
  );
  t.same(numbers(positions.get('windows-10-home')), { installs: 2, licences: 2, covered: 1, shortfall: 1, surplus: 1 });
  t.same(positions.get('windows-10-home')!.machines.uncovered, ['m3']);
  t.same(positions.get('windows-7-pro')!.coveredBy, [{ licenceId: 'O2', via: 'oem', machineIds: ['m4'] }]);
  t.same(numbers(positions.get('kylin-desktop-v10')), { installs: 1, licences: 0, covered: 0, shortfall: 1, surplus: 0 });
});

t.test('subscriptions count only between their start and end dates; lapsed ones mark the uncovered installs', async (t) => {
  // Ledger: AutoCAD 2024, 2 seats, 2024-01-01..2024-12-31 (A1); renewal 1 seat 2025-01-01..2025-12-31 (A2).
  // Installs: m1, m2 AutoCAD 2024.
  const ledger = [
    licence('A1', 'autocad-2024', 2, { type: 'subscription', startsOn: '2024-01-01', endsOn: '2024-12-31' }),
    licence('A2', 'autocad-2024', 1, { type: 'subscription', startsOn: '2025-01-01', endsOn: '2025-12-31' }),
  ];
  const spec = installs({ m1: ['autocad-2024'], m2: ['autocad-2024'] });
  // 2024-06-30: A1 is in force (2 seats) -> both covered; A2 has not started.
  let p = byProduct(computeLicencePositions(spec, ledger, '2024-06-30', catalog)).get('autocad-2024')!;
  t.same(numbers(p), { installs: 2, licences: 2, covered: 2, shortfall: 0, surplus: 0 });
  // 2024-12-31 is the last day of A1 (end dates are inclusive).
  t.ok(isLicenceInForce(ledger[0]!, '2024-12-31'));
  // 2025-03-01: A1 lapsed, A2 (1 seat) covers m1; m2 is uncovered and marked expired.
  p = byProduct(computeLicencePositions(spec, ledger, '2025-03-01', catalog)).get('autocad-2024')!;
  t.same(numbers(p), { installs: 2, licences: 1, covered: 1, shortfall: 1, surplus: 0 });
  t.same(p.machines.expired, ['m2']);
  // 2026-02-01: both lapsed: nothing in force, both installs expired.
  p = byProduct(computeLicencePositions(spec, ledger, '2026-02-01', catalog)).get('autocad-2024')!;
  t.same(numbers(p), { installs: 2, licences: 0, covered: 0, shortfall: 2, surplus: 0 });
  t.same(p.machines.expired, ['m1', 'm2']);
});

t.test('site and volume licences; free software has no position', async (t) => {
  // Site WinRAR covers all 3 installs with unlimited seats; a volume agreement of 1 套 with 50
  // licences covers 50 installs; 7-Zip is free and is not a licence position at all.
  const positions = byProduct(
    computeLicencePositions(
      installs({ a: ['winrar', '7-zip', 'office-proplus-2019'], b: ['winrar'], c: ['winrar', 'office-proplus-2019'] }),
      [licence('SITE', 'winrar', 0, { type: 'site' }), licence('VOL', 'office-proplus-2019', 50, { type: 'volume' })],
      '2025-06-01',
      catalog,
    ),
  );
  t.same(numbers(positions.get('winrar')), { installs: 3, licences: null, covered: 3, shortfall: 0, surplus: null });
  t.same(numbers(positions.get('office-proplus-2019')), { installs: 2, licences: 50, covered: 2, shortfall: 0, surplus: 48 });
  t.notOk(positions.has('7-zip'));
});

t.test('the allocation does not depend on input order', async (t) => {
  const spec = installs({ m3: ['office-proplus-2016'], m1: ['office-proplus-2019'], m2: ['office-proplus-2019', 'windows-10-pro'] });
  const ledger = [licence('b', 'office-proplus-2021', 2), licence('a', 'office-proplus-2019', 1), licence('c', 'windows-11-pro', 1)];
  const once = computeLicencePositions(spec, ledger, '2025-06-01', catalog);
  t.same(computeLicencePositions([...spec].reverse(), [...ledger].reverse(), '2025-06-01', catalog), once);
});
