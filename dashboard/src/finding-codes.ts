/**
 * What each finding code (问题) means and what a unit does about it, in words an IT clerk can act
 * on. Codes come from the agent (agent/src/interpret) and the server (server/src/compliance/
 * findings.ts); a code missing here is shown as itself with a general instruction.
 */

interface FindingText {
  name: [zh: string, en: string];
  remedy: [zh: string, en: string];
}

const ACTIVATOR_REMEDY: FindingText['remedy'] = [
  '删除该激活工具及其计划任务、服务和残留文件，清除伪造的激活（管理员命令行执行 slmgr /upk 与 slmgr /ckms；Office 执行 ospp.vbs /remhst），再用本单位采购的正版授权重新激活，并做一次病毒查杀（此类工具常夹带木马）。',
  'Remove the activator with its scheduled tasks, services and files, clear the forged activation (slmgr /upk and slmgr /ckms as administrator; ospp.vbs /remhst for Office), activate again with a licence the unit bought, and run a virus scan (such tools often carry malware).',
];

const FINDINGS: Record<string, FindingText> = {
  'os.unlicensed': {
    name: ['操作系统未激活', 'Operating system not activated'],
    remedy: [
      '用本单位采购的正版授权（产品密钥、批量授权或 OEM 随机授权）激活该系统。没有授权的，请先采购并在“授权台账”登记，或改装本单位已授权的系统（如银河麒麟）。',
      "Activate the OS with a licence the unit bought (product key, volume licence or the PC's OEM licence). Without one, buy it and record it in the ledger, or install an OS the unit is licensed for (such as Kylin).",
    ],
  },
  'os.trial': {
    name: ['操作系统处于试用期', 'Operating system on trial'],
    remedy: ['试用期结束前用正版授权激活；试用期满后系统将视为未激活。', 'Activate with a purchased licence before the trial ends; after it the OS counts as not activated.'],
  },
  'os.home-edition': {
    name: ['家庭版操作系统', 'Home edition of the OS'],
    remedy: [
      '家庭版（含家庭中文版）是个人电脑随机版本，不在单位批量授权范围内。请核实该机是否有随机授权凭证并在台账中按 OEM 登记；否则采购专业版升级授权，或改装国产操作系统。',
      "Home editions come with consumer PCs and are outside the unit's volume licences. If the PC came with it, record the OEM licence in the ledger; otherwise buy a Pro upgrade or install a domestic OS.",
    ],
  },
  'os.community-edition': {
    name: ['麒麟社区版', 'Kylin community edition'],
    remedy: ['社区版为非商业版本，不是正版授权的银河麒麟。请安装本单位采购的银河麒麟商业版并激活。', 'The community edition is non-commercial, not a licensed Kylin. Install the commercial Kylin the unit bought and activate it.'],
  },
  'os.release-mismatch': {
    name: ['系统版本信息不一致', 'OS release files disagree'],
    remedy: ['系统标识文件与实际版本不符，可能被改装或替换。请核实系统来源，必要时用正版安装介质重装。', 'The release files do not match the installed system, which may have been altered. Check where the system came from and reinstall from genuine media if needed.'],
  },
  'office.unlicensed': {
    name: ['办公软件未授权', 'Office suite not licensed'],
    remedy: [
      '用本单位采购的授权激活该办公软件；没有授权的，请卸载并改用已采购的办公软件（如 WPS 专业版），或采购后在台账登记。',
      'Activate the suite with a licence the unit bought; without one, uninstall it and use a suite the unit has bought (such as WPS Professional), or buy it and record it in the ledger.',
    ],
  },
  'wps.personal-edition': {
    name: ['WPS 个人版', 'WPS personal edition'],
    remedy: ['WPS 个人版仅限个人免费使用，单位不得使用。请卸载个人版，安装本单位采购的 WPS 专业版（或政务版）。', 'WPS personal is free for individuals only and may not be used by a unit. Uninstall it and install the WPS Professional (or government) edition the unit bought.'],
  },
  'wps.cracked-build': {
    name: ['破解版 WPS', 'Cracked WPS build'],
    remedy: ['立即卸载破解版本，用官方安装包安装本单位授权的版本，并排查安装包来源。', 'Uninstall the cracked build at once, install the licensed edition from the official installer, and find out where the package came from.'],
  },
  'kms.public-host': {
    name: ['使用公共 KMS 激活', 'Activated against a public KMS host'],
    remedy: [
      '通过互联网公共 KMS 或本机回环地址激活属于盗版激活。请清除 KMS 设置（slmgr /ckms；Office 执行 ospp.vbs /remhst），再用本单位正版授权重新激活。',
      'Activation against a public KMS host or a loopback address is piracy. Clear the KMS setting (slmgr /ckms; ospp.vbs /remhst for Office) and activate again with the unit\'s licence.',
    ],
  },
  'kms.unapproved-host': {
    name: ['KMS 主机未经批准', 'KMS host not approved'],
    remedy: [
      '激活所用的 KMS 主机不在本单位或上级批准名单中。若它是本单位正版批量授权服务器，请管理员在“设置”中把它加入批准的 KMS 主机；否则改用批准的 KMS 主机重新激活。',
      "The KMS host is not on the approved list of the unit or a bureau above it. If it is the unit's genuine volume-licence server, an admin adds it to the approved KMS hosts in Settings; otherwise activate against an approved host.",
    ],
  },
  'activator.kmspico': { name: ['发现 KMSpico 激活工具', 'KMSpico activator found'], remedy: ACTIVATOR_REMEDY },
  'activator.kmsauto': { name: ['发现 KMSAuto 激活工具', 'KMSAuto activator found'], remedy: ACTIVATOR_REMEDY },
  'activator.toolkit': { name: ['发现 Microsoft Toolkit 激活工具', 'Microsoft Toolkit activator found'], remedy: ACTIVATOR_REMEDY },
  'activator.spp-hook': { name: ['激活服务被劫持', 'Licensing service hooked'], remedy: ACTIVATOR_REMEDY },
  'activator.kms-renewal-task': { name: ['发现 KMS 续期计划任务', 'KMS renewal task found'], remedy: ACTIVATOR_REMEDY },
  'activator.r1n': { name: ['发现 R@1n-KMS 激活工具', 'R@1n-KMS activator found'], remedy: ACTIVATOR_REMEDY },
  'activator.kylin-activation-bypass': {
    name: ['麒麟激活检测被屏蔽', 'Kylin activation check disabled'],
    remedy: ['恢复被删除或屏蔽的 kylin-activation-check 服务，用本单位的正版序列号激活银河麒麟。', 'Restore the removed or masked kylin-activation-check service and activate Kylin with the unit\'s serial number.'],
  },
  'licence.shortfall': {
    name: ['授权不足', 'Not covered by a licence'],
    remedy: [
      '该安装超出本单位有效授权数量。请采购补足授权并在“授权台账”登记，或卸载多余的安装、改用已有授权的产品。',
      'The install is beyond the licences in force. Buy the missing licences and record them in the ledger, or uninstall it or switch to a product the unit is licensed for.',
    ],
  },
  'licence.subscription-expired': {
    name: ['订阅已过期', 'Subscription expired'],
    remedy: ['覆盖该安装的订阅已到期。请续订并在“授权台账”更新起止日期，或停用并卸载该软件。', 'The subscription covering this install has lapsed. Renew it and update its dates in the ledger, or stop using and uninstall the software.'],
  },
  'software.personal-use-only': {
    name: ['仅限个人使用的软件', 'Personal-use-only software'],
    remedy: ['该软件的授权只允许个人使用（如 WPS 个人版、Office 家庭和学生版），单位不得使用。请卸载并改用单位授权的版本。', 'This software is licensed for personal use only (WPS personal, Office Home and Student, ...). Uninstall it and use an edition licensed to the unit.'],
  },
};

const UNKNOWN_REMEDY: FindingText['remedy'] = ['请查看证据，核实该计算机的软件来源与授权情况，整改后重新扫描。', 'Read the evidence, check where the software came from and how it is licensed, then scan again after fixing it.'];

export const SEVERITY_NAMES: Record<string, [string, string]> = {
  info: ['提示', 'Info'],
  low: ['低', 'Low'],
  medium: ['中', 'Medium'],
  high: ['高', 'High'],
  critical: ['严重', 'Critical'],
};

/** Every code the dashboard knows, for the code filter. */
export const KNOWN_FINDING_CODES = Object.keys(FINDINGS);

const pick = (pair: [string, string], lang: 'zh' | 'en') => pair[lang === 'zh' ? 0 : 1];

/** The finding's name in the current language (the code itself when unknown). */
export function findingName(code: string, lang: 'zh' | 'en'): string {
  const entry = FINDINGS[code];
  return entry ? pick(entry.name, lang) : code;
}

/** What to do about a finding of this code. */
export function findingRemedy(code: string, lang: 'zh' | 'en'): string {
  return pick(FINDINGS[code]?.remedy ?? UNKNOWN_REMEDY, lang);
}

/** The severity's name in the current language. */
export function severityName(severity: string, lang: 'zh' | 'en'): string {
  const entry = SEVERITY_NAMES[severity];
  return entry ? pick(entry, lang) : severity;
}

/**
 * One line saying what was found, in Chinese for the server's own findings (their stored evidence
 * is English); the agent's evidence (paths, registry keys, command output) is shown as reported.
 */
export function findingSummary(finding: { code: string; subject: string | null; origin: string; evidence: string | null }, lang: 'zh' | 'en', productName: (id: string) => string): string {
  const evidence = finding.evidence || finding.subject || '—';
  if (lang !== 'zh' || finding.origin !== 'server' || !finding.subject) return evidence;
  switch (finding.code) {
    case 'licence.shortfall':
      return `${productName(finding.subject)} 的安装超出本单位的有效授权，没有剩余授权覆盖这台计算机。`;
    case 'licence.subscription-expired':
      return `已安装 ${productName(finding.subject)}，但本单位覆盖它的订阅已过期。`;
    case 'software.personal-use-only':
      return `${productName(finding.subject)} 仅限个人使用，单位不得使用。`;
    case 'kms.unapproved-host':
      return `激活所用的 KMS 主机 ${finding.subject} 不在本单位（或上级）批准的名单中。`;
    default:
      return evidence;
  }
}
