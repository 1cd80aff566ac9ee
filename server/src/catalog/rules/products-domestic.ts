import type { Product } from '../types.ts';

/**
 * Domestic (国产) operating systems and office suites: what the legalisation programme asks units
 * to move to. Kylin (银河麒麟) is counted on its own in the annual form; UOS (统信), NeoKylin
 * (中标麒麟), Deepin and openKylin are domestic but not Kylin.
 */
export const DOMESTIC_OS_PRODUCTS: Product[] = [
  { id: 'kylin-desktop-v10', vendor: '麒麟软件 (KylinSoft)', name: '银河麒麟桌面操作系统 V10 (Kylin Desktop V10)', category: 'os', domestic: true, licenceModel: 'per-device', family: 'kylin-desktop', rank: 10 },
  { id: 'kylin-desktop-v4', vendor: '麒麟软件 (KylinSoft)', name: '银河麒麟桌面操作系统 V4 (Kylin Desktop V4)', category: 'os', domestic: true, licenceModel: 'per-device', family: 'kylin-desktop', rank: 4 },
  { id: 'kylin-server-v10', vendor: '麒麟软件 (KylinSoft)', name: '银河麒麟高级服务器操作系统 V10 (Kylin Linux Advanced Server V10)', category: 'os', domestic: true, licenceModel: 'per-device', family: 'kylin-server', rank: 10 },
  { id: 'kylin-server-v7', vendor: '麒麟软件 (KylinSoft)', name: '银河麒麟服务器操作系统 V7', category: 'os', domestic: true, licenceModel: 'per-device', family: 'kylin-server', rank: 7 },
  { id: 'neokylin-desktop-v7', vendor: '中标软件 (China Standard Software)', name: '中标麒麟桌面操作系统 V7 (NeoKylin Desktop)', category: 'os', domestic: true, licenceModel: 'per-device', family: 'neokylin-desktop', rank: 7 },
  { id: 'neokylin-server-v7', vendor: '中标软件 (China Standard Software)', name: '中标麒麟高级服务器操作系统 V7 (NeoKylin Server)', category: 'os', domestic: true, licenceModel: 'per-device', family: 'neokylin-server', rank: 7 },
  { id: 'uos-desktop-20', vendor: '统信软件 (UnionTech)', name: '统信 UOS 桌面操作系统 20 (UnionTech OS Desktop 20)', category: 'os', domestic: true, licenceModel: 'per-device', family: 'uos-desktop', rank: 20 },
  { id: 'uos-server-20', vendor: '统信软件 (UnionTech)', name: '统信 UOS 服务器操作系统 20 (UnionTech OS Server 20)', category: 'os', domestic: true, licenceModel: 'per-device', family: 'uos-server', rank: 20 },
  { id: 'deepin', vendor: '深度社区 (Deepin)', name: 'Deepin (community edition)', category: 'os', domestic: true, licenceModel: 'free' },
  { id: 'openkylin', vendor: '开放麒麟社区 (openKylin)', name: 'openKylin (community edition)', category: 'os', domestic: true, licenceModel: 'free' },
  { id: 'kylinsec-os', vendor: '麒麟信安 (KylinSec)', name: '麒麟信安操作系统 (KylinSec OS)', category: 'os', domestic: true, licenceModel: 'per-device' },
  { id: 'debian', vendor: 'Debian Project', name: 'Debian GNU/Linux', category: 'os', domestic: false, licenceModel: 'free' },
  { id: 'ubuntu', vendor: 'Canonical', name: 'Ubuntu', category: 'os', domestic: false, licenceModel: 'free' },
  { id: 'linux-other', vendor: '(various)', name: 'Other Linux distribution', category: 'os', domestic: false, licenceModel: 'free' },
];

export const DOMESTIC_OFFICE_PRODUCTS: Product[] = [
  // WPS 个人版 is free for individuals only; in a unit it is a finding, never a licence.
  { id: 'wps-personal', vendor: '金山办公 (Kingsoft Office)', name: 'WPS Office 个人版', category: 'office', domestic: true, licenceModel: 'personal-use-only' },
  ...[2016, 2019, 2023].map((year): Product => ({
    id: `wps-professional-${year}`,
    vendor: '金山办公 (Kingsoft Office)',
    name: `WPS Office ${year} 专业版`,
    category: 'office',
    domestic: true,
    licenceModel: 'per-device',
    family: 'wps-professional',
    rank: year,
  })),
  { id: 'wps-365', vendor: '金山办公 (Kingsoft Office)', name: 'WPS 365', category: 'office', domestic: true, licenceModel: 'subscription' },
  { id: 'yozo-office', vendor: '永中软件 (Yozosoft)', name: '永中Office (Yozo Office)', category: 'office', domestic: true, licenceModel: 'per-device' },
];
