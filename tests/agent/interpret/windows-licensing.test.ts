import t from 'tap';
import { activationOf, channelFrom, readOsppLicences, readWmiLicences } from '../../../agent/src/interpret/windows/licensing.ts';
import { officeLicenceKey } from '../../../agent/src/interpret/windows/office-licences.ts';
import { kmsHostName, publicKmsReason } from '../../../agent/src/interpret/kms-hosts.ts';
import { wmiDate, wmiRows } from '../../../agent/src/interpret/windows/wmi.ts';

const OSPP_CHINESE = [
  'Microsoft (R) Windows Script Host Version 5.812',
  '版权所有(C) Microsoft Corporation。保留所有权利。',
  '',
  '---正在处理--------------------------',
  '---------------------------------------',
  'PRODUCT ID: 00339-10000-00000-AA680',
  'SKU ID: 6912a74b-a5fb-401a-bfdb-2e3ab46f4b02',
  'LICENSE NAME: Office 19, Office19Standard2019VL_KMS_Client_AE edition',
  'LICENSE DESCRIPTION: Office 19, VOLUME_KMSCLIENT channel',
  'BETA EXPIRATION: 01/01/1601',
  'LICENSE STATUS:  ---OOB_GRACE--- ',
  'ERROR CODE: 0x4004F00C',
  'ERROR DESCRIPTION: The Software Licensing Service reported that the application is running within the valid grace period.',
  'REMAINING GRACE: 4 days  (7199 minute(s) before expiring)',
  'Last 5 characters of installed product key: 6NWWJ',
  'Activation Type Configuration: ALL',
  '\tDNS auto-discovery: KMS name not available',
  '\tKMS machine registry override defined: kms.loli.beer:1688',
  '---------------------------------------',
  'PRODUCT ID: 00339-10000-00000-AA999',
  'LICENSE NAME: Office 19, Office19ProjectPro2019R_Grace edition',
  'LICENSE DESCRIPTION: Office 19, RETAIL(Grace) channel',
  'LICENSE STATUS:  ---NOTIFICATIONS--- ',
  '---------------------------------------',
  '---------------------------------------',
  '---正在退出-----------------------------',
].join('\r\n');

t.test('ospp.vbs /dstatus on Chinese Windows: localised headers, English labels', async (t) => {
  const records = readOsppLicences(OSPP_CHINESE);
  t.equal(records.length, 1, 'a block without an installed key is not a licence');
  const r = records[0]!;
  t.equal(r.name, 'Office 19, Office19Standard2019VL_KMS_Client_AE edition');
  t.equal(r.status, 'grace');
  t.equal(r.channel, 'kms');
  t.equal(r.partialKey, '6NWWJ');
  t.equal(r.graceMinutes, 7199);
  t.equal(r.kmsHost, 'kms.loli.beer', 'the override host without its port');
  t.same(activationOf(r, '2025-03-18T10:30:00+08:00'), { status: 'grace', channel: 'kms', kmsHost: 'kms.loli.beer', expires: '2025-03-23T02:29:00Z' });
});

t.test('SoftwareLicensingProduct rows: status codes, channels, permanent vs renewing', async (t) => {
  const rows = wmiRows(
    new Map([
      [
        'SoftwareLicensingProduct',
        [
          { Name: 'Windows(R), Professional edition', Description: 'Windows(R) Operating System, OEM_DM channel', ProductKeyChannel: 'OEM:DM', PartialProductKey: 'ABCDE', LicenseStatus: 1, GracePeriodRemaining: 0, ApplicationID: '55C92734-D682-4D71-983E-D6EC3F16059F' },
          { Name: 'Windows(R), ServerStandard edition', ProductKeyChannel: 'Volume:GVLK', PartialProductKey: 'N7Q2J', LicenseStatus: 1, GracePeriodRemaining: 259200, KeyManagementServiceMachine: null, DiscoveredKeyManagementServiceMachineName: 'kms.local' },
          { Name: 'Office 16, Office16ProPlusVL_KMS_Client edition', PartialProductKey: null, LicenseStatus: 0 },
        ],
      ],
    ]),
    'softwarelicensingproduct',
  );
  const records = readWmiLicences(rows, 'SoftwareLicensingProduct');
  t.equal(records.length, 2, 'rows without a partial key are skipped');
  t.same(activationOf(records[0]!, '2025-03-18T00:00:00Z'), { status: 'licensed', channel: 'oem' }, 'licensed with no grace left is permanent');
  t.same(activationOf(records[1]!, '2025-03-18T00:00:00Z'), { status: 'licensed', channel: 'kms', kmsHost: 'kms.local', expires: '2025-09-14T00:00:00Z' });
  t.equal(records[0]!.applicationId, '55c92734-d682-4d71-983e-d6ec3f16059f', 'application ids compare lower-case');
  t.same(
    [0, 1, 2, 3, 4, 5, 6].map((code) => readWmiLicences([{ Name: 'x', PartialProductKey: 'K', LicenseStatus: code }], 'SoftwareLicensingProduct')[0]!.status),
    ['unlicensed', 'licensed', 'grace', 'grace', 'unlicensed', 'unlicensed', 'grace'],
  );
});

t.test('channels from ProductKeyChannel or Description; digital licences by their generic keys', async (t) => {
  t.equal(channelFrom('Retail', '3V66T'), 'digital');
  t.equal(channelFrom('Retail', 'QF8RT'), 'retail');
  t.equal(channelFrom('OEM:NONSLP', undefined), 'oem');
  t.equal(channelFrom('Windows Operating System - Windows(R) 7, OEM_SLP channel', undefined), 'oem');
  t.equal(channelFrom('Volume:MAK', undefined), 'mak');
  t.equal(channelFrom('Volume:GVLK', undefined), 'kms');
  t.equal(channelFrom('Windows(R) Operating System, TIMEBASED_EVAL channel', undefined), 'eval');
});

t.test('Office licence names map to a suite year and SKU', async (t) => {
  t.same(officeLicenceKey('Office 19, Office19ProPlus2019VL_KMS_Client_AE edition'), { year: '2019', token: 'ProPlus' });
  t.same(officeLicenceKey('Office 14, OfficeProPlus-KMS_Client edition'), { year: '2010', token: 'ProPlus' });
  t.same(officeLicenceKey('Office 15, OfficeStandardVL_MAK edition'), { year: '2013', token: 'Standard' });
  t.same(officeLicenceKey('Office 16, Office16O365ProPlusR_Subscription1 edition'), { year: '365', token: 'O365' });
  t.same(officeLicenceKey('Office 24, Office24ProPlus2024VL_KMS_Client_AE edition'), { year: '2024', token: 'ProPlus' });
  t.equal(officeLicenceKey('Office 19, Office19VisioPro2019VL_KMS_Client_AE edition'), undefined, 'Visio is not a suite');
});

t.test('public and loopback KMS hosts are named; private ones are left to the server', async (t) => {
  t.match(publicKmsReason('kms8.msguides.com:1688') ?? '', /public KMS/);
  t.match(publicKmsReason('KMS.03K.ORG') ?? '', /public KMS/);
  t.match(publicKmsReason('127.0.0.2') ?? '', /loopback/);
  t.match(publicKmsReason('[::1]:1688') ?? '', /loopback/);
  t.match(publicKmsReason('localhost') ?? '', /loopback/);
  t.equal(publicKmsReason('kms.gsj.local'), undefined);
  t.equal(publicKmsReason('10.12.0.8'), undefined);
  t.equal(publicKmsReason('notkms.03k.org.example.cn'), undefined, 'a suffix match needs a dot boundary at the end of the name');
  t.equal(kmsHostName('Kms.Example.CN.:1688'), 'kms.example.cn');
});

t.test('WMI dates in every shape capture produces', async (t) => {
  t.equal(wmiDate({ D: '/Date(1747699200000)/' }, 'D'), '2025-05-20T00:00:00.000Z', 'PowerShell 5');
  t.equal(wmiDate({ D: '2025-05-20T08:00:00+08:00' }, 'D'), '2025-05-20T00:00:00.000Z', 'PowerShell 7');
  t.equal(wmiDate({ D: '20250520080000.000000+480' }, 'D'), '2025-05-20T00:00:00.000Z', 'raw CIM datetime');
  t.equal(wmiDate({ D: 'soon' }, 'D'), undefined);
});
