/**
 * Recognition of the agent's evidence corpus: every bundle is interpreted by the real agent code
 * and recognised by the built-in rules; the products must be exactly the table's, each once, with
 * OS products found from the OS classification and office suites from office[] (never also from
 * their Uninstall entries or packages).
 */
import t from 'tap';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { interpretEvidence } from '../../../agent/src/interpret/index.ts';
import { recogniseInventory } from '../../../server/src/catalog/recognise.ts';
import { buildRuleSet } from '../../../server/src/catalog/rules/index.ts';
import { loadBundle } from '../../agent/interpret/load-bundle.ts';

const corpus = join(dirname(fileURLToPath(import.meta.url)), '../../fixtures/evidence');
const ruleSet = buildRuleSet();

/** What the standard Windows image of the corpus carries besides the OS and office suites. */
const WINDOWS_APPS = [
  '360-antivirus', '7-zip', 'adobe-acrobat-reader', 'dingtalk', 'foxmail', 'google-chrome', 'huorong', 'microsoft-edge',
  'microsoft-onedrive', 'runtime-or-driver', 'sogou-pinyin', 'sunlogin', 'tencent-qq', 'wechat', 'wecom',
];
const KYLIN_APPS = ['chromium', 'qax-browser'];

const EXPECTED: Record<string, string[]> = {
  'debian-12-copied-kylin-os-release': ['chromium', 'linux-other'],
  'debian-12-plain': ['chromium', 'debian', 'wine'],
  'debian-12-spoofed-kylin-lsb-release': ['chromium', 'debian'],
  'deepin-20.9-wps-personal': ['chromium', 'deepin', 'wps-personal'],
  'kylin-desktop-v10-juniper-2020-aarch64': [...KYLIN_APPS, 'kylin-desktop-v10'],
  'kylin-desktop-v10-sp1-2107-x86_64-trial-expired': [...KYLIN_APPS, 'kylin-desktop-v10'],
  'kylin-desktop-v10-sp1-2303-aarch64-trial': [...KYLIN_APPS, 'kylin-desktop-v10', 'wps-personal'],
  'kylin-desktop-v10-sp1-2403-loongarch64-activated': [...KYLIN_APPS, 'kylin-desktop-v10', 'wps-professional-2023'],
  'kylin-desktop-v10-sp1-2403-x86_64-activated': [...KYLIN_APPS, 'kylin-desktop-v10', 'wps-professional-2019'],
  'kylin-desktop-v10-sp1-2503-capture-errors': [...KYLIN_APPS, 'kylin-desktop-v10'],
  'kylin-desktop-v10-sp1-activation-check-removed': [...KYLIN_APPS, 'kylin-desktop-v10', 'wps-personal'],
  'kylin-desktop-v10-sp1-mips64el-community-masked-check': [...KYLIN_APPS, 'kylin-desktop-v10'],
  'kylin-server-v10-sp2-sword-aarch64': ['kylin-server-v10'],
  'kylin-server-v10-sp3-lance-x86_64-trial': ['kylin-server-v10'],
  'kylinsec-3.4-lookalike': ['kylinsec-os'],
  'neokylin-server-v7update6-x86_64': ['neokylin-server-v7'],
  'openkylin-1.0-lookalike': ['chromium', 'openkylin'],
  'uos-desktop-20-professional-wps-pro-yozo': ['chromium', 'uos-browser', 'uos-desktop-20', 'wps-professional-2019', 'yozo-office'],
  'uos-server-20-1050d-dpkg-aarch64': ['chromium', 'uos-server-20'],
  'uos-server-20-1050e-x86_64': ['uos-server-20'],
  'win10-cmge-government-edition-kms': [...WINDOWS_APPS, 'windows-10-enterprise-g'],
  'win10-education-r1n-kms-spp-hook': [...WINDOWS_APPS, 'windows-10-education'],
  'win10-enterprise-evaluation': [...WINDOWS_APPS, 'windows-10-enterprise'],
  'win10-enterprise-kms-private-office2016-msi': [...WINDOWS_APPS, 'office-proplus-2016', 'windows-10-enterprise'],
  'win10-home-china-oem-wps-personal': [...WINDOWS_APPS, 'windows-10-home', 'wps-personal'],
  'win10-ltsc2019-kmsauto-public-kms': [...WINDOWS_APPS, 'windows-10-enterprise-ltsc'],
  'win10-pro-grace-office2019-c2r-no-key': [...WINDOWS_APPS, 'office-proplus-2019', 'windows-10-pro'],
  'win10-pro-kmspico-loopback-kms-office2019': [...WINDOWS_APPS, 'office-proplus-2019', 'windows-10-pro'],
  'win10-pro-mak-office2024-wps-pro': [...WINDOWS_APPS, 'office-proplus-2024', 'visio-professional-2024', 'windows-10-pro', 'wps-professional-2023'],
  'win10-pro-microsoft-toolkit-office2016': [...WINDOWS_APPS, 'office-proplus-2016', 'windows-10-pro'],
  'win10-pro-powershell-blocked-utf8-registry': [...WINDOWS_APPS, 'office-proplus-2016', 'windows-10-pro'],
  'win10-pro-retail-office2013-std-mak': [...WINDOWS_APPS, 'office-standard-2013', 'windows-10-pro', 'yozo-office'],
  'win10-pro-wps-cracked-repack': [...WINDOWS_APPS, 'windows-10-pro', 'wps-professional-2019'],
  'win11-enterprise-m365-apps': [...WINDOWS_APPS, 'm365-apps-enterprise', 'windows-11-enterprise'],
  'win11-home-single-language-unlicensed-wps2023': [...WINDOWS_APPS, 'windows-11-home', 'wps-personal'],
  'win11-pro-digital-licence-c2r-ltsc2021': [...WINDOWS_APPS, 'office-proplus-2021', 'windows-11-pro'],
  'win11-pro-online-kms-renewal-task': [...WINDOWS_APPS, 'office-proplus-2021', 'windows-11-pro'],
  'win7-pro-sp1-oem-office2010-msi-kms': [...WINDOWS_APPS, 'office-proplus-2010', 'windows-7-pro'],
  'win7-ultimate-x86-nongenuine-office2010-notifications': ['office-standard-2010', 'windows-7-ultimate', 'winrar'],
  'winserver-2019-standard-kms': ['notepad-plus-plus', 'runtime-or-driver', 'sql-server-2019', 'windows-server-2019-standard'],
};

const bundles = readdirSync(corpus).filter((name) => existsSync(join(corpus, name, 'manifest.json'))).sort();

t.test('every bundle of the corpus has a row in the table', async (t) => {
  t.same(bundles, Object.keys(EXPECTED).sort());
});

for (const name of bundles) {
  t.test(`${name}: recognised as the table says`, async (t) => {
    const inventory = interpretEvidence(loadBundle(join(corpus, name)));
    const { products, unrecognised } = recogniseInventory(inventory, ruleSet);
    const ids = products.map((p) => p.productId);
    t.same(ids, [...(EXPECTED[name] ?? [])].sort(), 'products');
    t.equal(new Set(ids).size, ids.length, 'no product twice');
    t.same(unrecognised, [], 'nothing left for review');
    for (const product of products) {
      const category = ruleSet.products.get(product.productId)!.category;
      if (category === 'os') t.equal(product.source, 'os', `${product.productId} comes from the OS classification`);
      if (category === 'office' && product.source !== 'office') t.fail(`${product.productId} came from a ${product.source} entry, not office[]`);
    }
    t.equal(products.filter((p) => p.source === 'os').length, 1, 'exactly one OS product');
    t.equal(products.filter((p) => p.source === 'office').length, inventory.office.length, 'one product per office suite');
  });
}
