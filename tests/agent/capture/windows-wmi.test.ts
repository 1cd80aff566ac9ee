import t from 'tap';
import {
  WMI_QUERIES,
  type WmiQuery,
  buildWmiPowerShellCommand,
  buildWmicAttempts,
  isWmicNoInstances,
  parseWmiPowerShellOutput,
  parseWmicOutput,
} from '../../../agent/src/capture/windows-wmi.ts';
import { wmiDate, wmiNumber, wmiRows, wmiString } from '../../../agent/src/interpret/windows/wmi.ts';

const query = (name: string): WmiQuery => WMI_QUERIES.find((q) => q.className === name)!;

t.test('the PowerShell command is one line without double quotes, and reads every class once', async (t) => {
  const command = buildWmiPowerShellCommand();
  t.notMatch(command, /["\r\n]/, 'passes through -Command unchanged');
  for (const q of WMI_QUERIES) t.match(command, `'${q.className}'`, `asks for ${q.className}`);
  t.match(command, "'PartialProductKey IS NOT NULL'", 'licensing rows only with a partial key');
  t.match(command, 'ConvertTo-Json -InputObject $r -Depth 4 -Compress');
  t.notMatch(command, /EncodedCommand/);
});

t.test("PowerShell's JSON is split into one wmi/<Class>.json value per class", async (t) => {
  // Windows PowerShell 5.1 output, as the script prints it (one class failed).
  const stdout =
    '\uFEFF{"SoftwareLicensingProduct":[{"ID":"2de67392-b7a7-462a-b1ca-108dd189f588","Name":"Windows(R), Professional edition",' +
    '"Description":"Windows(R) Operating System, VOLUME_KMSCLIENT channel","ApplicationID":"55c92734-d682-4d71-983e-d6ec3f16059f",' +
    '"LicenseStatus":1,"ProductKeyChannel":"Volume:GVLK","PartialProductKey":"T83GX","GracePeriodRemaining":259200,' +
    '"EvaluationEndDate":"\\/Date(1601510400000)\\/","KeyManagementServiceMachine":"kms.03k.org","KeyManagementServicePort":1688}],' +
    '"OfficeSoftwareProtectionProduct":{"__error":"Invalid class "},' +
    '"Win32_OperatingSystem":[{"Caption":"Microsoft Windows 11 专业版","Version":"10.0.22631","BuildNumber":"22631","OSArchitecture":"64 位","OperatingSystemSKU":48,"ProductType":1}],' +
    '"Win32_ComputerSystemProduct":[{"UUID":"4C4C4544-0036-4D10-8031-B7C04F4E3232","IdentifyingNumber":"7MJ6Q93","Vendor":"Dell Inc.","Name":"OptiPlex 7080"}],' +
    '"Win32_BIOS":[{"SerialNumber":"7MJ6Q93","Manufacturer":"Dell Inc."}],' +
    '"Win32_ComputerSystem":[],"Win32_Processor":[{"Name":"Intel(R) Core(TM) i5-10500 CPU @ 3.10GHz"}],' +
    '"Win32_NetworkAdapter":[{"Name":"Intel(R) Ethernet Connection (11) I219-LM","MACAddress":"D8:9E:F3:12:34:56","PhysicalAdapter":true}]}\r\n';
  const { classes, failed } = parseWmiPowerShellOutput(stdout);
  t.same([...failed.keys()], ['OfficeSoftwareProtectionProduct'], 'a class that failed is named');
  t.equal(classes.get('Win32_ComputerSystem') && (classes.get('Win32_ComputerSystem') as unknown[]).length, 0, 'an empty result is kept: the query ran');
  const spp = wmiRows(classes, 'SoftwareLicensingProduct')[0];
  t.equal(wmiNumber(spp, 'LicenseStatus'), 1);
  t.equal(wmiString(spp, 'KeyManagementServiceMachine'), 'kms.03k.org');
  t.equal(wmiDate(spp, 'EvaluationEndDate'), '2020-10-01T00:00:00.000Z', 'PowerShell 5 dates are read by the interpreter');
  t.equal(wmiString(wmiRows(classes, 'Win32_OperatingSystem')[0], 'Caption'), 'Microsoft Windows 11 专业版');
});

t.test('PowerShell output without JSON (blocked, or version 2) sends capture to wmic', async (t) => {
  t.throws(() => parseWmiPowerShellOutput(''), /no JSON/);
  t.throws(() => parseWmiPowerShellOutput("The term 'ConvertTo-Json' is not recognized as the name of a cmdlet"), /no JSON/);
});

t.test('wmic tries the list format, then the table format, then every property', async (t) => {
  const attempts = buildWmicAttempts(query('Win32_NetworkAdapter'));
  t.equal(attempts.length, 3);
  t.same(attempts[0]!.slice(0, 4), ['path', 'Win32_NetworkAdapter', 'where', 'PhysicalAdapter = TRUE AND MACAddress IS NOT NULL']);
  t.equal(attempts[0]!.at(-1), '/format:list');
  t.notOk(attempts[1]!.includes('/format:list'), 'the second attempt avoids the XSL files');
  t.same(attempts[2]!.slice(-2), ['get', '/format:list'], 'the last asks for all properties');
});

t.test("wmic's list format becomes rows shaped like PowerShell's", async (t) => {
  // wmic path SoftwareLicensingProduct where "PartialProductKey IS NOT NULL" get ... /format:list on Windows 7 SP1.
  const text = [
    '', '',
    'ApplicationID=55c92734-d682-4d71-983e-d6ec3f16059f',
    'Description=Windows Operating System - Windows(R) 7, OEM_SLP channel',
    'GracePeriodRemaining=0',
    'ID=b92e9980-b9d5-4821-9c94-140f632f6312',
    'KeyManagementServiceMachine=',
    'LicenseStatus=1',
    'Name=Windows(R) 7, Professional edition',
    'PartialProductKey=6KTCH',
    '', '',
    'ApplicationID=59a52881-a989-479d-af46-f275c6370663',
    'Description=Office 14, RETAIL channel',
    'LicenseStatus=1',
    'Name=Office 14, OfficeProPlus-Retail edition',
    'PartialProductKey=H3KJ7',
    '', '', '',
  ].join('\r\r\n');
  const rows = parseWmicOutput(text, query('SoftwareLicensingProduct'));
  t.equal(rows.length, 2);
  t.equal(rows[0]!.Name, 'Windows(R) 7, Professional edition');
  t.equal(rows[0]!.KeyManagementServiceMachine, null, 'an empty value is null');
  t.equal(rows[0]!.ProductKeyChannel, null, 'a property Windows 7 lacks is null');
  t.same(Object.keys(rows[1]!), query('SoftwareLicensingProduct').properties, 'properties in the query order');
  t.equal(wmiNumber(rows[0], 'LicenseStatus'), 1, 'the interpreter reads numbers written as text');
});

t.test("wmic's table format (wine, or a broken XSL) is read by column position", async (t) => {
  const text = [
    '\uFEFFIdentifyingNumber                     Name                                  UUID                                  Vendor                                Version                               ',
    '0                                     Wine                                  3D1219C7-C4C5-404A-AA1F-6D2A48ADFDA4  The Wine Project                      1.0                                   ',
    '',
  ].join('\r\n');
  const rows = parseWmicOutput(text, query('Win32_ComputerSystemProduct'));
  t.same(rows, [{ UUID: '3D1219C7-C4C5-404A-AA1F-6D2A48ADFDA4', IdentifyingNumber: '0', Vendor: 'The Wine Project', Name: 'Wine', Version: '1.0' }]);
  const adapters = parseWmicOutput('MACAddress         Name                 PhysicalAdapter\r\r\nD8:9E:F3:12:34:56  Intel(R) I219-LM     TRUE\r\r\n', query('Win32_NetworkAdapter'));
  t.equal(adapters[0]!.PhysicalAdapter, true, 'TRUE becomes a boolean');
  t.equal(adapters[0]!.Name, 'Intel(R) I219-LM', 'a value with spaces stays whole');
});

t.test('"No Instance(s) Available." is an empty answer, not a failure', async (t) => {
  t.ok(isWmicNoInstances('No Instance(s) Available.\r\n'));
  t.ok(isWmicNoInstances('没有可用的实例。'));
  t.notOk(isWmicNoInstances('Invalid query'));
});
