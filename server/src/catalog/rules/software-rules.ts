import type { SoftwareRule } from '../types.ts';

const rule = (slug: string, name: string, productId: string | null, extra: Partial<SoftwareRule> = {}): SoftwareRule => ({
  id: `builtin:${slug}`,
  name,
  productId,
  ...extra,
});

const OFFICE_NOTE = 'part of an office suite: recognised from the agent\'s office classification (office[])';

/**
 * Built-in rules for software entries, tried in order (first match wins). Office suites and the
 * OS are recognised from the agent's classification, never from these entries, so the Uninstall
 * entries and packages of an office suite are ignored here: otherwise one install would count
 * twice. Linux package entries that no rule matches are parts of the distribution (covered by the
 * OS licence) and are not listed for review.
 */
export const BUILTIN_SOFTWARE_RULES: SoftwareRule[] = [
  // Office suites and their parts: counted from office[].
  rule('ms-office-entries', String.raw`^microsoft (office|365)\b`, null, { note: OFFICE_NOTE, sources: ['registry'] }),
  rule('ms-office-language', String.raw`^microsoft office (language|proofing|校对|语言)`, null, { note: OFFICE_NOTE }),
  rule('wps-entries', String.raw`^wps( office|office|\b)`, null, { note: OFFICE_NOTE }),
  rule('wps-packages', String.raw`^(wps-office|wpsoffice|cn\.wps\.[a-z.-]+|wps-office-fonts)$`, null, { note: OFFICE_NOTE }),
  rule('yozo-entries', String.raw`^(永中\s*office|yozo\s*office|yozo-office)`, null, { note: OFFICE_NOTE }),
  rule('activators', String.raw`^(kmspico|kmsauto|kms ?tools|microsoft toolkit|hewtool|aact)\b`, null, {
    note: 'activation crack: the agent reports it as an activator.* finding',
  }),
  // Visio and Project are not suites: they are products of their own.
  ...[2016, 2019, 2021, 2024].flatMap((year) => [
    rule(`visio-${year}`, String.raw`^microsoft visio( ltsc)? (professional|专业版|标准版|standard).*${year}|^microsoft visio( ltsc)? (专业版|标准版) ${year}`, `visio-professional-${year}`, { sources: ['registry'] }),
    rule(`project-${year}`, String.raw`^microsoft project( ltsc)? (professional|专业版).*${year}`, `project-professional-${year}`, { sources: ['registry'] }),
  ]),
  rule('sql-server-setup', String.raw`^microsoft sql server \d{4} (setup|native client|t-sql|browser|writer)`, null, { note: 'component of SQL Server' }),
  ...['2016', '2017', '2019', '2022'].map((v) => rule(`sql-server-${v}`, String.raw`^microsoft sql server ${v}( \(64-bit\))?$`, `sql-server-${v}`)),

  // Antivirus: enterprise consoles first, then the consumer editions.
  rule('360-enterprise', String.raw`^(360(终端安全|天擎|企业版)|奇安信天擎)`, '360-enterprise'),
  rule('360-antivirus', String.raw`^360(杀毒|安全卫士|total security)`, '360-antivirus'),
  rule('huorong-enterprise', String.raw`^火绒(终端安全|企业)`, 'huorong-enterprise'),
  rule('huorong', String.raw`^(火绒安全|huorong)`, 'huorong'),
  rule('kingsoft-enterprise', String.raw`^金山(终端安全|企业)`, 'kingsoft-enterprise'),
  rule('kingsoft-antivirus', String.raw`^(金山毒霸|kingsoft antivirus)`, 'kingsoft-antivirus'),
  rule('rising-esm', String.raw`^瑞星(esm|网络版|企业)`, 'rising-esm'),
  rule('rising-antivirus', String.raw`^(瑞星杀毒|瑞星安全|rising antivirus)`, 'rising-antivirus'),
  rule('tencent-pc-manager', String.raw`^(腾讯电脑管家|tencent pc manager)`, 'tencent-pc-manager'),
  rule('kaspersky', String.raw`^kaspersky`, 'kaspersky'),

  // PDF / OFD
  rule('acrobat-reader', String.raw`^adobe (acrobat )?reader`, 'adobe-acrobat-reader', { edition: 'reader' }),
  rule('acrobat-2020', String.raw`^adobe acrobat (pro |standard )?2020`, 'adobe-acrobat-2020'),
  rule('acrobat-pro', String.raw`^adobe acrobat( pro| standard| dc|$)`, 'adobe-acrobat-pro'),
  rule('foxit-ofd', String.raw`^福昕\s*ofd|^foxit ofd`, 'foxit-ofd'),
  rule('foxit-editor', String.raw`^(foxit (pdf editor|phantompdf)|福昕高级pdf编辑器)`, 'foxit-editor'),
  rule('foxit-reader', String.raw`^(foxit (pdf )?reader|福昕(pdf)?阅读器)`, 'foxit-reader'),
  rule('suwell-reader', String.raw`^(数科ofd(版式)?阅读|suwell ?reader)`, 'suwell-ofd-reader'),
  rule('suwell-suite', String.raw`^数科ofd(版式)?办公`, 'suwell-ofd-suite'),
  rule('yozo-ofd', String.raw`^永中(版式|ofd)`, 'yozo-ofd-reader'),

  // Design and industrial
  rule('photoshop-cs6', String.raw`^adobe photoshop cs6`, 'adobe-photoshop-cs6'),
  rule('photoshop', String.raw`^adobe photoshop( \d{4}| cc|$)`, 'adobe-photoshop'),
  rule('autocad-lt', String.raw`^autocad lt`, 'autocad-lt'),
  ...[2018, 2019, 2020, 2021, 2022, 2023, 2024, 2025].map((year) =>
    rule(`autocad-${year}`, String.raw`^autocad( 简体中文 \(simplified chinese\)| - 简体中文)? ?${year}|^autocad ${year}`, `autocad-${year}`),
  ),
  rule('caxa-3d', String.raw`^caxa.*(3d|实体设计)`, 'caxa-3d'),
  rule('caxa-cad', String.raw`^caxa`, 'caxa-cad'),
  rule('zwcad', String.raw`^(中望cad|zwcad)`, 'zwcad'),
  rule('coreldraw', String.raw`^coreldraw`, 'coreldraw'),

  // Tools
  rule('winrar', String.raw`^winrar\b`, 'winrar'),
  rule('bandizip', String.raw`^bandizip`, 'bandizip'),
  rule('7-zip', String.raw`^7-zip\b`, '7-zip'),
  rule('vmware-workstation', String.raw`^vmware workstation`, 'vmware-workstation'),
  rule('sunlogin', String.raw`^(向日葵|sunlogin)`, 'sunlogin'),
  rule('teamviewer', String.raw`^teamviewer`, 'teamviewer'),

  // Free software
  rule('chrome', String.raw`^google chrome$`, 'google-chrome'),
  rule('chromium', String.raw`^chromium(-common|-browser)?$`, 'chromium'),
  rule('edge', String.raw`^microsoft edge( webview2 runtime)?$`, 'microsoft-edge'),
  rule('firefox', String.raw`^(mozilla )?firefox\b`, 'firefox'),
  rule('qax-browser', String.raw`^(qaxbrowser|奇安信可信浏览器)`, 'qax-browser'),
  rule('uos-browser', String.raw`^(uos-browser|uos浏览器)`, 'uos-browser'),
  rule('360-browser', String.raw`^360安全浏览器`, '360-browser'),
  rule('libreoffice', String.raw`^libreoffice( \d|$)`, 'libreoffice'),
  rule('vlc', String.raw`^vlc( media player)?\b`, 'vlc'),
  rule('notepad-plus-plus', String.raw`^notepad\+\+`, 'notepad-plus-plus'),
  rule('wine', String.raw`^wine(64|32)?$`, 'wine'),
  rule('qq', String.raw`^(腾讯qq|tencent qq|qq)$`, 'tencent-qq'),
  rule('wechat', String.raw`^(微信|wechat)$`, 'wechat'),
  rule('wecom', String.raw`^(企业微信|wecom|wxwork)$`, 'wecom'),
  rule('dingtalk', String.raw`^(钉钉|dingtalk)`, 'dingtalk'),
  rule('foxmail', String.raw`^foxmail`, 'foxmail'),
  rule('sogou', String.raw`^搜狗(拼音)?输入法`, 'sogou-pinyin'),
  rule('onedrive', String.raw`^microsoft onedrive$`, 'microsoft-onedrive'),
  rule('runtimes', String.raw`^(microsoft visual c\+\+ .*redistributable|microsoft \.net|microsoft update health tools|windows pc health check|microsoft edge update)`, 'runtime-or-driver', { sources: ['registry'] }),
  rule('drivers', String.raw`^(intel\(r\)|realtek|nvidia|amd software|vmware tools|synaptics|dell |lenovo |hp )`, 'runtime-or-driver', { sources: ['registry'] }),
];
