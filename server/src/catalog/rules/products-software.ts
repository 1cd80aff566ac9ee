import type { Product } from '../types.ts';

const p = (
  id: string,
  vendor: string,
  name: string,
  category: Product['category'],
  domestic: boolean,
  licenceModel: Product['licenceModel'],
  extra: Partial<Product> = {},
): Product => ({ id, vendor, name, category, domestic, licenceModel, ...extra });

/**
 * Products recognised from software entries: antivirus (one of the three classes national
 * statistics count), design and industrial software, PDF/OFD readers and common tools. Consumer
 * antivirus editions are free (the vendors say so); their enterprise consoles are paid per device.
 */
export const SOFTWARE_PRODUCTS: Product[] = [
  // Antivirus
  p('360-antivirus', '360 (奇虎360)', '360杀毒 / 360安全卫士 (consumer)', 'antivirus', true, 'free'),
  p('360-enterprise', '360 (奇安信/奇虎360)', '360终端安全管理系统 / 天擎 (enterprise)', 'antivirus', true, 'per-device'),
  p('huorong', '火绒 (Huorong)', '火绒安全软件 个人版', 'antivirus', true, 'free'),
  p('huorong-enterprise', '火绒 (Huorong)', '火绒终端安全管理系统 (enterprise)', 'antivirus', true, 'per-device'),
  p('kingsoft-antivirus', '金山 (Kingsoft)', '金山毒霸', 'antivirus', true, 'free'),
  p('kingsoft-enterprise', '金山 (Kingsoft)', '金山终端安全系统 (enterprise)', 'antivirus', true, 'per-device'),
  p('rising-antivirus', '瑞星 (Rising)', '瑞星杀毒软件', 'antivirus', true, 'free'),
  p('rising-esm', '瑞星 (Rising)', '瑞星ESM / 网络版 (enterprise)', 'antivirus', true, 'per-device'),
  p('tencent-pc-manager', '腾讯 (Tencent)', '腾讯电脑管家', 'antivirus', true, 'free'),
  p('kaspersky', 'Kaspersky', 'Kaspersky Endpoint Security', 'antivirus', false, 'subscription'),
  // PDF and OFD (版式文档)
  p('adobe-acrobat-reader', 'Adobe', 'Adobe Acrobat Reader', 'other', false, 'free'),
  p('adobe-acrobat-pro', 'Adobe', 'Adobe Acrobat Pro / Standard', 'design', false, 'subscription', { family: 'adobe-acrobat', rank: 2 }),
  p('adobe-acrobat-2020', 'Adobe', 'Adobe Acrobat 2020 (perpetual)', 'design', false, 'per-device', { family: 'adobe-acrobat', rank: 1 }),
  p('foxit-reader', '福昕 (Foxit)', 'Foxit PDF Reader / 福昕阅读器', 'other', true, 'free'),
  p('foxit-editor', '福昕 (Foxit)', 'Foxit PDF Editor / PhantomPDF / 福昕高级PDF编辑器', 'design', true, 'per-device'),
  p('foxit-ofd', '福昕 (Foxit)', '福昕OFD版式办公套件', 'office', true, 'per-device'),
  p('suwell-ofd-reader', '数科网维 (Suwell)', '数科OFD阅读器', 'other', true, 'free'),
  p('suwell-ofd-suite', '数科网维 (Suwell)', '数科OFD版式办公套件', 'office', true, 'per-device'),
  p('yozo-ofd-reader', '永中软件 (Yozosoft)', '永中版式阅读器', 'other', true, 'free'),
  // Design and industrial
  p('adobe-photoshop', 'Adobe', 'Adobe Photoshop (Creative Cloud)', 'design', false, 'subscription', { family: 'adobe-photoshop', rank: 2 }),
  p('adobe-photoshop-cs6', 'Adobe', 'Adobe Photoshop CS6 (perpetual)', 'design', false, 'per-device', { family: 'adobe-photoshop', rank: 1 }),
  p('adobe-cc-all-apps', 'Adobe', 'Adobe Creative Cloud All Apps (suite)', 'design', false, 'subscription', {
    components: ['adobe-photoshop', 'adobe-acrobat-pro'],
  }),
  ...[2018, 2019, 2020, 2021, 2022, 2023, 2024, 2025].map((year) =>
    p(`autocad-${year}`, 'Autodesk', `AutoCAD ${year}`, 'industrial', false, 'subscription', { family: 'autocad', rank: year }),
  ),
  p('autocad-lt', 'Autodesk', 'AutoCAD LT', 'industrial', false, 'subscription'),
  p('caxa-cad', 'CAXA (数码大方)', 'CAXA CAD 电子图板', 'industrial', true, 'per-device'),
  p('caxa-3d', 'CAXA (数码大方)', 'CAXA 3D 实体设计', 'industrial', true, 'per-device'),
  p('zwcad', '中望 (ZWSOFT)', '中望CAD (ZWCAD)', 'industrial', true, 'per-device'),
  p('coreldraw', 'Corel', 'CorelDRAW Graphics Suite', 'design', false, 'per-device'),
  // Tools
  p('winrar', 'win.rar GmbH', 'WinRAR', 'other', false, 'per-device'),
  p('bandizip', 'Bandisoft', 'Bandizip', 'other', false, 'free'),
  p('7-zip', 'Igor Pavlov', '7-Zip', 'other', false, 'free'),
  p('vmware-workstation', 'VMware', 'VMware Workstation Pro', 'other', false, 'per-device'),
  p('sunlogin', '贝锐 (Oray)', '向日葵远程控制', 'other', true, 'free'),
  p('teamviewer', 'TeamViewer', 'TeamViewer', 'other', false, 'personal-use-only'),
  // Free software a unit may run without a licence
  p('google-chrome', 'Google', 'Google Chrome', 'other', false, 'free'),
  p('chromium', 'The Chromium Project', 'Chromium', 'other', false, 'free'),
  p('microsoft-edge', 'Microsoft', 'Microsoft Edge', 'other', false, 'free'),
  p('firefox', 'Mozilla', 'Mozilla Firefox', 'other', false, 'free'),
  p('qax-browser', '奇安信 (Qi An Xin)', '奇安信可信浏览器', 'other', true, 'free'),
  p('uos-browser', '统信软件 (UnionTech)', 'UOS 浏览器', 'other', true, 'free'),
  p('360-browser', '360 (奇虎360)', '360安全浏览器', 'other', true, 'free'),
  p('libreoffice', 'The Document Foundation', 'LibreOffice', 'other', false, 'free'),
  p('vlc', 'VideoLAN', 'VLC media player', 'other', false, 'free'),
  p('notepad-plus-plus', 'Notepad++ Team', 'Notepad++', 'other', false, 'free'),
  p('wine', 'WineHQ', 'Wine', 'other', false, 'free'),
  p('tencent-qq', '腾讯 (Tencent)', '腾讯QQ', 'other', true, 'free'),
  p('wechat', '腾讯 (Tencent)', '微信', 'other', true, 'free'),
  p('wecom', '腾讯 (Tencent)', '企业微信', 'other', true, 'free'),
  p('dingtalk', '阿里巴巴 (Alibaba)', '钉钉', 'other', true, 'free'),
  p('foxmail', '腾讯 (Tencent)', 'Foxmail', 'other', true, 'free'),
  p('sogou-pinyin', '搜狗 (Sogou)', '搜狗输入法', 'other', true, 'free'),
  p('microsoft-onedrive', 'Microsoft', 'Microsoft OneDrive', 'other', false, 'free'),
  p('runtime-or-driver', '(various)', 'Runtimes, drivers and system tools (VC++ redistributables, device drivers, vendor tools)', 'other', false, 'free'),
];
