import t from 'tap';
import type { Software } from '@zhengban/protocol';
import { normalisePublisher, normaliseSoftwareName } from '../../../server/src/catalog/normalise.ts';
import { recogniseInventory, recogniseOffice, recogniseOs, recogniseSoftware } from '../../../server/src/catalog/recognise.ts';
import { BUILTIN_PRODUCTS, BUILTIN_SOFTWARE_RULES, buildRuleSet, RULESET_VERSION } from '../../../server/src/catalog/rules/index.ts';
import { LICENCE_MODELS, PRODUCT_CATEGORIES } from '../../../server/src/catalog/types.ts';

const ruleSet = buildRuleSet();
const reg = (name: string, publisher?: string): Software => ({ id: name, name, source: 'registry', hive: 'HKLM', ...(publisher ? { publisher } : {}) });

t.test('the built-in catalog is consistent', async (t) => {
  const ids = BUILTIN_PRODUCTS.map((p) => p.id);
  t.equal(new Set(ids).size, ids.length, 'product ids are unique');
  for (const product of BUILTIN_PRODUCTS) {
    if (!PRODUCT_CATEGORIES.includes(product.category)) t.fail(`${product.id}: category ${product.category}`);
    if (!LICENCE_MODELS.includes(product.licenceModel)) t.fail(`${product.id}: licence model ${product.licenceModel}`);
    if ((product.family === undefined) !== (product.rank === undefined)) t.fail(`${product.id}: family and rank go together`);
    for (const component of product.components ?? []) if (!ruleSet.products.has(component)) t.fail(`${product.id}: unknown component ${component}`);
  }
  for (const rule of BUILTIN_SOFTWARE_RULES) {
    if (rule.productId && !ruleSet.products.has(rule.productId)) t.fail(`${rule.id}: unknown product ${rule.productId}`);
    t.doesNotThrow(() => new RegExp(rule.name, 'iu'), `${rule.id} compiles`);
  }
  t.equal(ruleSet.version, RULESET_VERSION);
  t.ok(ids.length > 150, `${ids.length} products`);
});

t.test('operating systems are recognised from the agent classification', async (t) => {
  const cases: Array<[string, Parameters<typeof recogniseOs>[0], string | null, string | null]> = [
    ['Windows 7 Professional', { family: 'windows', product: 'Windows 7 Professional', edition: 'Professional', version: '7' }, 'windows-7-pro', null],
    ['Windows 10 Pro', { family: 'windows', product: 'Windows 10 Pro', edition: 'Professional', version: '10' }, 'windows-10-pro', null],
    ['Windows 11 Home Single Language', { family: 'windows', product: 'Windows 11 Home Single Language', edition: 'CoreSingleLanguage', version: '11' }, 'windows-11-home', null],
    ['LTSC 2019 keeps its year as the edition', { family: 'windows', product: 'Windows 10 Enterprise LTSC 2019', edition: 'EnterpriseS', version: '10' }, 'windows-10-enterprise-ltsc', 'LTSC 2019'],
    ['an evaluation is marked', { family: 'windows', product: 'Windows 10 Enterprise Evaluation', edition: 'EnterpriseEval', version: '10' }, 'windows-10-enterprise', 'evaluation'],
    ['no edition id: the name decides', { family: 'windows', product: 'Windows 11 Pro', version: '11' }, 'windows-11-pro', null],
    ['Windows Server 2012 R2 Datacenter', { family: 'windows', product: 'Windows Server 2012 R2 Datacenter', edition: 'ServerDatacenter', version: '6.3' }, 'windows-server-2012r2-datacenter', null],
    ['Windows Server 2022 Standard', { family: 'windows', product: 'Windows Server 2022 Standard', edition: 'ServerStandard', version: '2022' }, 'windows-server-2022-standard', null],
    ['Kylin desktop with service pack', { family: 'kylin', product: 'Kylin Desktop V10 SP1', edition: 'desktop', version: 'V10 SP1 2403' }, 'kylin-desktop-v10', 'SP1'],
    ['Kylin server', { family: 'kylin', product: 'Kylin Linux Advanced Server V10', edition: 'server', version: 'V10 SP3' }, 'kylin-server-v10', 'SP3'],
    ['Kylin without product or version is Kylin desktop V10', { family: 'kylin', product: 'Kylin', version: undefined, edition: undefined }, 'kylin-desktop-v10', null],
    ['UOS desktop professional', { family: 'uos', product: 'UnionTech OS Desktop 20 Professional', edition: 'desktop', version: '20 1060' }, 'uos-desktop-20', 'professional'],
    ['an unverified Kylin claim is not Kylin', { family: 'linux', product: 'Kylin V10 SP1 (unverified)' }, 'linux-other', null],
    ['openKylin is its own community OS', { family: 'linux', product: 'openKylin 1.0' }, 'openkylin', null],
  ];
  for (const [label, os, productId, edition] of cases) {
    t.same(recogniseOs(os, ruleSet), productId ? { productId, edition } : null, label);
  }
});

t.test('office suites are recognised by product name, year and edition', async (t) => {
  const ms = (product: string, edition = 'proplus', version?: string) => ({ vendor: 'microsoft' as const, product, edition, ...(version ? { version } : {}) });
  const cases: Array<[string, Parameters<typeof recogniseOffice>[0], string | null]> = [
    ['Office Professional Plus 2019', ms('Office Professional Plus 2019'), 'office-proplus-2019'],
    ['Office LTSC Professional Plus 2021 is the 2021 line', ms('Office LTSC Professional Plus 2021'), 'office-proplus-2021'],
    ['Office Standard 2010', ms('Office Standard 2010', 'standard'), 'office-standard-2010'],
    ['a Chinese product name', ms('Microsoft Office 专业增强版 2016'), 'office-proplus-2016'],
    ['year from the MSI version when the name has none', ms('Microsoft Office', 'standard', '15.0.4569.1506'), 'office-standard-2013'],
    ['16.0 tells no year: not guessed', ms('Microsoft Office', 'proplus', '16.0.10410.20026'), null],
    ['Home and Student (personal use only)', ms('Office Home and Student 2021', 'home-student'), 'office-home-student-2021'],
    ['Microsoft 365 Apps for enterprise', ms('Microsoft 365 Apps for enterprise', 'subscription'), 'm365-apps-enterprise'],
    ['WPS personal', { vendor: 'kingsoft', product: 'WPS Office 2019 个人版', edition: 'personal' }, 'wps-personal'],
    ['WPS 2023 professional', { vendor: 'kingsoft', product: 'WPS Office 2023 专业版', edition: 'professional' }, 'wps-professional-2023'],
    ['WPS 2021 professional counts as the 2019 line', { vendor: 'kingsoft', product: 'WPS Office 2021 专业版', edition: 'professional' }, 'wps-professional-2019'],
    ['Yozo', { vendor: 'yozo', product: '永中Office', edition: 'professional' }, 'yozo-office'],
  ];
  for (const [label, suite, productId] of cases) t.equal(recogniseOffice(suite, ruleSet)?.productId ?? null, productId, label);
});

t.test('software entries are recognised by rule; suite parts and activators are ignored', async (t) => {
  const cases: Array<[Software, string | null]> = [
    [reg('火绒安全软件', '北京火绒网络科技有限公司'), 'huorong'],
    [reg('360终端安全管理系统'), '360-enterprise'],
    [reg('360杀毒'), '360-antivirus'],
    [reg('金山毒霸'), 'kingsoft-antivirus'],
    [reg('瑞星杀毒软件'), 'rising-antivirus'],
    [reg('腾讯电脑管家'), 'tencent-pc-manager'],
    [reg('Adobe Acrobat Reader DC - Chinese Simplified'), 'adobe-acrobat-reader'],
    [reg('Adobe Acrobat DC (64-bit)'), 'adobe-acrobat-pro'],
    [reg('Adobe Photoshop 2024'), 'adobe-photoshop'],
    [reg('AutoCAD 2022 - 简体中文 (Simplified Chinese)'), 'autocad-2022'],
    [reg('CAXA CAD电子图板 2023'), 'caxa-cad'],
    [reg('WinRAR 6.24 (64-位)'), 'winrar'],
    [reg('Foxit PDF Reader'), 'foxit-reader'],
    [reg('福昕OFD版式办公套件'), 'foxit-ofd'],
    [reg('数科OFD阅读器'), 'suwell-ofd-reader'],
    [reg('LibreOffice 7.6.4.1'), 'libreoffice'],
    [reg('VLC media player'), 'vlc'],
    [reg('Mozilla Firefox (x64 zh-CN)'), 'firefox'],
    [reg('Microsoft Office Professional Plus 2016'), null],
    [reg('WPS Office (11.1.0.8612)'), null],
    [reg('KMSpico'), null],
    [{ id: 'wps-office:amd64', name: 'wps-office', source: 'dpkg' }, null],
  ];
  for (const [entry, productId] of cases) t.equal(recogniseSoftware(entry, ruleSet)?.productId ?? null, productId, entry.name);
});

t.test('unmatched Windows entries are listed once per name and publisher; Linux packages are not', async (t) => {
  const result = recogniseInventory(
    {
      os: { family: 'windows', product: 'Windows 10 Pro', edition: 'Professional', version: '10', arch: 'x86_64', activation: { status: 'licensed', channel: 'retail' } },
      office: [],
      software: [
        reg('Acme Billing 3.1 (x64)', 'Acme Co., Ltd.'),
        { ...reg('Acme Billing 3.2', 'Acme Co., Ltd'), id: 'acme-32bit', hive: 'HKLM-WOW64' },
        { id: 'libfoo1:amd64', name: 'libfoo1', source: 'dpkg', publisher: 'Debian' },
      ],
    },
    ruleSet,
  );
  t.same(result.products.map((p) => p.productId), ['windows-10-pro']);
  t.same(result.unrecognised.map((u) => [u.nameKey, u.publisherKey]), [['acme billing', 'acme']]);
});

t.test('an admin rule is tried before the built-in rules and can bring its own product', async (t) => {
  const custom = buildRuleSet({
    revision: 3,
    products: [{ id: 'acme-billing', vendor: 'Acme', name: 'Acme Billing', category: 'other', domestic: true, licenceModel: 'per-device' }],
    rules: [
      { id: 'db:1', name: '^acme billing', productId: 'acme-billing' },
      { id: 'db:2', name: '^winrar', productId: null, note: 'the unit holds a site licence outside this system' },
    ],
  });
  t.equal(custom.version, `${RULESET_VERSION}+db.3`);
  t.same(recogniseSoftware(reg('Acme Billing 3.1'), custom), { productId: 'acme-billing', edition: null });
  t.equal(recogniseSoftware(reg('WinRAR 6.24'), custom), null, 'overrides the built-in WinRAR rule');
});

t.test('names and publishers are normalised for counting', async (t) => {
  t.equal(normaliseSoftwareName('7-Zip 23.01 (x64)'), '7-zip');
  t.equal(normaliseSoftwareName('Notepad++ (32-bit x86)'), 'notepad++');
  t.equal(normaliseSoftwareName('Microsoft 365 企业应用版 - zh-cn'), 'microsoft 365 企业应用版');
  t.equal(normaliseSoftwareName('WPS Office (11.1.0.8612)'), 'wps office');
  t.equal(normalisePublisher('Zhuhai Kingsoft Office Software Co.,Ltd'), 'zhuhai kingsoft office software');
  t.equal(normalisePublisher(undefined), '');
});
