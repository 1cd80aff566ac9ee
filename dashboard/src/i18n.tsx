import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { ADMIN_EN, ADMIN_ZH } from './i18n-admin.ts';
import { MACHINES_EN, MACHINES_ZH } from './i18n-machines.ts';
import { WORKBENCH_EN, WORKBENCH_ZH } from './i18n-workbench.ts';

/** Languages the dashboard speaks; Chinese first. */
export type Lang = 'zh' | 'en';

const EN: Record<string, string> = {
  'app.title': 'Software Legalisation Platform',
  'app.short': 'zhengban',
  'menu.overview': 'Overview',
  'menu.machines': 'Computers',
  'menu.ledger': 'Licence ledger',
  'menu.deployment': 'Deployment',
  'live.open': 'Live',
  'live.connecting': 'Connecting…',
  'live.closed': 'Offline, reconnecting',
  'login.title': 'Sign in',
  'login.username': 'Username',
  'login.password': 'Password',
  'login.submit': 'Sign in',
  'login.wrong': 'Wrong username or password.',
  'login.locked': 'Too many failed attempts: sign-in is locked. Try again after {until}.',
  'login.expired': 'Your session has expired. Please sign in again.',
  'login.failed': 'Sign-in failed: {message}',
  'password.title': 'Set a new password',
  'password.hint': 'This is your first sign-in: choose your own password (at least 8 characters) before you continue.',
  'password.current': 'Current password',
  'password.new': 'New password',
  'password.repeat': 'Repeat the new password',
  'password.mismatch': 'The two new passwords differ.',
  'password.submit': 'Save and continue',
  'password.done': 'Password changed.',
  'user.logout': 'Sign out',
  'common.refresh': 'Refresh',
  'common.loading': 'Loading…',
  'common.error': 'Could not load: {message}',
  'common.none': '—',
  'common.total': '{n} in total',
  'common.forbidden': 'Your role cannot use this page.',
  'common.notFound': 'This page does not exist.',
  'common.back': 'Back to the overview',
  'overview.machines': 'Computers',
  'overview.compliance': 'Compliance rate',
  'overview.domesticOs': 'Domestic OS share',
  'overview.domesticOffice': 'Domestic office share',
  'overview.byRegion': 'By county / district',
  'overview.bySector': 'By sector',
  'overview.units': 'Units',
  'overview.unit': 'Unit',
  'overview.feed': 'Live events',
  'overview.feedEmpty': 'No events yet. Events appear here the moment an agent reports.',
  'overview.empty': 'No computers report yet. Go to Deployment, create an enrolment token and install the agent.',
  'overview.goDeploy': 'Go to deployment',
  'overview.compliant': 'Compliant',
  'machines.search': 'Hostname contains',
  'machines.os': 'OS family',
  'machines.activation': 'Activation',
  'machines.lastSeen': 'Last seen',
  'machines.hostname': 'Hostname',
  'machines.unit': 'Unit',
  'machines.software': 'Software',
  'machines.agent': 'Agent',
  'machines.any': 'Any',
  'machines.seen24h': 'Within 24 hours',
  'machines.seen7d': 'Within 7 days',
  'machines.stale7d': 'Not for 7 days or more',
  'machines.empty': 'No computers yet. Install the agent on the unit\'s computers (see Deployment) and they appear here.',
  'machine.os': 'Operating system',
  'machine.activation': 'Activation',
  'machine.hardware': 'Hardware',
  'machine.office': 'Office suites',
  'machine.software': 'Installed software',
  'machine.findings': 'Findings',
  'machine.noFindings': 'No findings on this computer.',
  'machine.findingCode': 'Finding',
  'machine.findingSubject': 'Concerns',
  'machine.findingSince': 'Since',
  'machine.noOffice': 'No office suite found.',
  'machine.name': 'Name',
  'machine.version': 'Version',
  'machine.publisher': 'Publisher',
  'machine.installed': 'Installed',
  'ledger.add': 'Add a licence',
  'ledger.import': 'Import XLSX',
  'ledger.product': 'Product',
  'ledger.type': 'Type',
  'ledger.quantity': 'Quantity (sets)',
  'ledger.licenceCount': 'Licences (volume)',
  'ledger.startsOn': 'Starts',
  'ledger.endsOn': 'Ends',
  'ledger.purchasedOn': 'Purchased',
  'ledger.contractNo': 'Contract no.',
  'ledger.supplier': 'Supplier',
  'ledger.note': 'Note',
  'ledger.unit': 'Unit',
  'ledger.save': 'Save',
  'ledger.saved': 'Licence recorded; positions recomputed.',
  'ledger.imported': '{n} rows imported.',
  'ledger.empty': 'The ledger is empty. Add each purchase (contract, invoice, quantity) or import the ledger spreadsheet.',
  'ledger.pickUnit': 'Unit',
  'deploy.token': 'Enrolment token',
  'deploy.create': 'Create enrolment token',
  'deploy.label': 'Label',
  'deploy.maxUses': 'Max uses (empty = unlimited)',
  'deploy.expiresDays': 'Valid for (days)',
  'deploy.shownOnce': 'The token is shown only now. Copy the commands below; a new token can be created at any time.',
  'deploy.commands': 'Install commands',
  'deploy.linux': 'Linux (UOS, Kylin, others)',
  'deploy.windows': 'Windows (run as administrator)',
  'deploy.source': 'From source (Node.js 20)',
  'deploy.progress': 'Enrolment progress',
  'deploy.enrolled': 'Computers enrolled',
  'deploy.noToken': 'Create an enrolment token first: the commands are then filled in with it.',
  'deploy.unavailable': 'This server does not offer enrolment tokens through the API yet.',
  'deploy.tokens': 'Tokens',
  'deploy.copy': 'Copy',
  'deploy.copied': 'Copied',
};

const ZH: Record<string, string> = {
  'app.title': '软件正版化管理平台',
  'app.short': '正版',
  'menu.overview': '总览',
  'menu.machines': '计算机',
  'menu.ledger': '授权台账',
  'menu.deployment': '部署',
  'live.open': '实时',
  'live.connecting': '连接中…',
  'live.closed': '已断开，正在重连',
  'login.title': '登录',
  'login.username': '用户名',
  'login.password': '密码',
  'login.submit': '登录',
  'login.wrong': '用户名或密码错误。',
  'login.locked': '失败次数过多，登录已锁定，请于 {until} 之后再试。',
  'login.expired': '登录已过期，请重新登录。',
  'login.failed': '登录失败：{message}',
  'password.title': '设置新密码',
  'password.hint': '这是您首次登录：请先设置自己的密码（至少 8 位）再继续。',
  'password.current': '当前密码',
  'password.new': '新密码',
  'password.repeat': '再次输入新密码',
  'password.mismatch': '两次输入的新密码不一致。',
  'password.submit': '保存并继续',
  'password.done': '密码已修改。',
  'user.logout': '退出登录',
  'common.refresh': '刷新',
  'common.loading': '加载中…',
  'common.error': '加载失败：{message}',
  'common.none': '—',
  'common.total': '共 {n} 条',
  'common.forbidden': '您的角色无权使用此页面。',
  'common.notFound': '页面不存在。',
  'common.back': '返回总览',
  'overview.machines': '计算机',
  'overview.compliance': '正版率',
  'overview.domesticOs': '国产操作系统占比',
  'overview.domesticOffice': '国产办公软件占比',
  'overview.byRegion': '按区县',
  'overview.bySector': '按行业',
  'overview.units': '单位',
  'overview.unit': '单位',
  'overview.feed': '实时动态',
  'overview.feedEmpty': '暂无动态。终端上报后，动态会立即显示在这里。',
  'overview.empty': '还没有计算机上报。请到“部署”创建注册令牌并安装客户端。',
  'overview.goDeploy': '去部署',
  'overview.compliant': '合规',
  'machines.search': '主机名包含',
  'machines.os': '系统类型',
  'machines.activation': '激活状态',
  'machines.lastSeen': '最近在线',
  'machines.hostname': '主机名',
  'machines.unit': '单位',
  'machines.software': '软件数',
  'machines.agent': '客户端',
  'machines.any': '全部',
  'machines.seen24h': '24 小时内',
  'machines.seen7d': '7 天内',
  'machines.stale7d': '7 天以上未在线',
  'machines.empty': '还没有计算机。请在本单位计算机上安装客户端（见“部署”），安装后会出现在这里。',
  'machine.os': '操作系统',
  'machine.activation': '激活',
  'machine.hardware': '硬件',
  'machine.office': '办公软件',
  'machine.software': '已安装软件',
  'machine.findings': '问题',
  'machine.noFindings': '此计算机没有发现问题。',
  'machine.findingCode': '问题',
  'machine.findingSubject': '涉及',
  'machine.findingSince': '发现时间',
  'machine.noOffice': '未发现办公软件。',
  'machine.name': '名称',
  'machine.version': '版本',
  'machine.publisher': '发行商',
  'machine.installed': '安装日期',
  'ledger.add': '新增授权',
  'ledger.import': '导入 XLSX',
  'ledger.product': '产品',
  'ledger.type': '授权类型',
  'ledger.quantity': '数量（套）',
  'ledger.licenceCount': '授权数（批量）',
  'ledger.startsOn': '起始日期',
  'ledger.endsOn': '截止日期',
  'ledger.purchasedOn': '采购日期',
  'ledger.contractNo': '合同编号',
  'ledger.supplier': '供应商',
  'ledger.note': '备注',
  'ledger.unit': '单位',
  'ledger.save': '保存',
  'ledger.saved': '授权已登记，授权余缺已重新计算。',
  'ledger.imported': '已导入 {n} 行。',
  'ledger.empty': '台账为空。请逐笔登记采购（合同、发票、数量），或导入台账表格。',
  'ledger.pickUnit': '单位',
  'deploy.token': '注册令牌',
  'deploy.create': '创建注册令牌',
  'deploy.label': '名称',
  'deploy.maxUses': '最多使用次数（留空为不限）',
  'deploy.expiresDays': '有效天数',
  'deploy.shownOnce': '令牌只显示这一次。请复制下面的命令；随时可以再创建新令牌。',
  'deploy.commands': '安装命令',
  'deploy.linux': 'Linux（统信 UOS、麒麟等）',
  'deploy.windows': 'Windows（以管理员身份运行）',
  'deploy.source': '源码安装（Node.js 20）',
  'deploy.progress': '注册进度',
  'deploy.enrolled': '已注册计算机',
  'deploy.noToken': '请先创建注册令牌，命令中会自动填入令牌。',
  'deploy.unavailable': '本服务器尚未通过接口提供注册令牌。',
  'deploy.tokens': '令牌',
  'deploy.copy': '复制',
  'deploy.copied': '已复制',
};

const DICTIONARIES: Record<Lang, Record<string, string>> = { zh: { ...ZH, ...WORKBENCH_ZH, ...ADMIN_ZH, ...MACHINES_ZH }, en: { ...EN, ...WORKBENCH_EN, ...ADMIN_EN, ...MACHINES_EN } };
const STORAGE_KEY = 'zhengban.lang';

/** Looks a key up and fills `{name}` placeholders; an unknown key shows itself, so gaps are visible. */
export type Translate = (key: string, values?: Record<string, string | number>) => string;

interface I18n {
  lang: Lang;
  setLang: (lang: Lang) => void;
  t: Translate;
}

const I18nContext = createContext<I18n | null>(null);

function readStoredLang(): Lang {
  try {
    return localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'zh';
  } catch {
    return 'zh';
  }
}

/** Provides the language (zh-CN unless the user chose English; the choice is kept in localStorage). */
export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(readStoredLang);
  const setLang = useCallback((next: Lang) => {
    setLangState(next);
    try {
      localStorage.setItem(STORAGE_KEY, next);
    } catch {
      // Private mode: the choice lasts for this page only.
    }
  }, []);
  const value = useMemo<I18n>(() => {
    const dictionary = DICTIONARIES[lang];
    const t: Translate = (key, values) => {
      let text = dictionary[key] ?? key;
      for (const [name, value] of Object.entries(values ?? {})) text = text.replaceAll(`{${name}}`, String(value));
      return text;
    };
    return { lang, setLang, t };
  }, [lang, setLang]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

/** The current language, its setter and the translate function. */
export function useI18n(): I18n {
  const value = useContext(I18nContext);
  if (!value) throw new Error('useI18n outside I18nProvider');
  return value;
}
