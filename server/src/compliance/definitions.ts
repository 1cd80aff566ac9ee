import { RULESET_VERSION } from '../catalog/rules/index.ts';
import { SERVER_FINDING_CODES, NON_COMPLIANT_SEVERITIES } from './findings.ts';

/**
 * The definitions behind every number the dashboard shows, as text the UI displays next to it
 * (GET /api/compliance/definitions). docs/COMPLIANCE.md says the same at more length; change both.
 */
export const COMPLIANCE_DEFINITIONS = {
  rulesetVersion: RULESET_VERSION,
  install: {
    zh: '安装数：单位内装有该产品的计算机台数；同一产品系列（如 Office 2016 与 Office 2019）在一台机器上只计一次，计入版本较高者。',
    en: 'Installs: machines of the unit with the product; a machine counts once per product family (Office 2016 and 2019 on one PC count once, as 2019).',
  },
  licencesInForce: {
    zh: '有效授权：在统计日有效的授权数。永久授权自采购/生效日起有效；订阅在起止日期之间（含首尾）有效；OEM 授权仅覆盖其绑定的计算机；批量授权按“1 套含 N 个许可”计 N；站点授权不限数量。',
    en: 'Licences in force on the day: perpetual from their start or purchase date; subscriptions between start and end (inclusive); OEM only on the machines they are bound to; a volume agreement counts its N licences; a site licence is unlimited.',
  },
  allocation: {
    zh: '分配顺序（确定性）：OEM → 站点授权 → 同版本授权 → 降级权利（高版本授权覆盖同系列低版本，如 Office 2021 覆盖 2019、Windows 11 专业版覆盖 10 专业版；企业版可降为专业版、专业增强版可降为标准版）→ 套件（一个套件授权覆盖一台机器上的全部组件）。',
    en: 'Allocation (deterministic): OEM, site, exact version, downgrade rights (a newer version covers older ones of its family; Enterprise covers Pro, ProPlus covers Standard), then suites (one seat covers all components on one machine). Within a phase licences go by start date and id, machines by id.',
  },
  shortfall: {
    zh: '缺口：未被任何有效授权覆盖的安装数；盈余：本产品有效授权中未被使用的数量。',
    en: 'Shortfall: installs no licence in force covers. Surplus: seats of the product itself left unused.',
  },
  compliantMachine: {
    zh: `合规计算机：没有任何严重程度为 ${NON_COMPLIANT_SEVERITIES.join('/')} 的未关闭问题（含代理发现的问题，以及服务器的 ${Object.values(SERVER_FINDING_CODES).join('、')}）。`,
    en: `Compliant machine: no open finding of severity ${NON_COMPLIANT_SEVERITIES.join(', ')} (the agent's findings and the server's ${Object.values(SERVER_FINDING_CODES).join(', ')}).`,
  },
  complianceRate: {
    zh: '正版化率（合规率）= 合规计算机数 ÷ 已上报清单的计算机数；按单位、地区、行业汇总。',
    en: 'Compliance rate = compliant machines / machines with a reported inventory; per unit, region and sector.',
  },
  kylinShare: {
    zh: '麒麟占比 = 操作系统为银河麒麟（桌面或服务器）的计算机数 ÷ 已识别操作系统的计算机数。统信 UOS、中标麒麟、深度、openKylin 属国产操作系统，但不计入麒麟占比（年度报表只统计银河麒麟），计入“国产操作系统占比”。',
    en: 'Kylin share = machines running Kylin (银河麒麟, desktop or server) / machines with a recognised OS. UOS, NeoKylin, Deepin and openKylin are domestic but not Kylin (the annual form counts Kylin only): they count in the domestic-OS share.',
  },
  domesticOsShare: {
    zh: '国产操作系统占比 = 操作系统为国产（麒麟、统信 UOS、中标麒麟、深度、openKylin、麒麟信安）的计算机数 ÷ 已识别操作系统的计算机数。',
    en: 'Domestic-OS share = machines with a domestic OS (Kylin, UOS, NeoKylin, Deepin, openKylin, KylinSec) / machines with a recognised OS.',
  },
  domesticOfficeShare: {
    zh: '国产办公软件占比 = WPS、永中办公套件安装数 ÷ 全部办公套件安装数（Microsoft Office/365、WPS、永中；一台机器装两个套件计两次；WPS 个人版计入安装，但另有“仅限个人使用”问题）。',
    en: 'Domestic-office share = WPS and Yozo suite installs / all office suite installs (Microsoft Office/365, WPS, Yozo; two suites on one machine count twice; WPS personal counts here and is separately a personal-use-only finding).',
  },
  findings: {
    [SERVER_FINDING_CODES.kmsUnapprovedHost]: 'The OS or an office suite activates against a KMS host that is not on the approved list of the unit or of a bureau above it.',
    [SERVER_FINDING_CODES.personalUseOnly]: 'Software licensed for personal use only (WPS 个人版, Office Home and Student, ...) is installed in a unit.',
    [SERVER_FINDING_CODES.shortfall]: 'The install is beyond the licences in force: no seat is left to cover this machine.',
    [SERVER_FINDING_CODES.subscriptionExpired]: 'The install is uncovered and a subscription of the unit that would cover it has lapsed.',
  },
  unrecognised: {
    zh: '未识别软件：没有任何识别规则匹配的 Windows 程序（按规范化名称与发行商跨机器计数）。Linux 软件包中未匹配的视为发行版组件，不列出。',
    en: 'Unrecognised software: Windows programs no rule matches, counted across machines by normalised name and publisher. Unmatched Linux packages are parts of the distribution and are not listed.',
  },
} as const;
