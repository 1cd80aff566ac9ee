/** Chinese and English names of the protocol's enumerations (protocol/src/inventory.ts). */

type Names = Record<string, [string, string]>;

export const OS_FAMILY_NAMES: Names = {
  windows: ['Windows', 'Windows'],
  kylin: ['银河麒麟', 'Kylin'],
  uos: ['统信 UOS', 'UOS'],
  neokylin: ['中标麒麟', 'NeoKylin'],
  deepin: ['深度 Deepin', 'Deepin'],
  linux: ['其他 Linux', 'Other Linux'],
};

export const ACTIVATION_NAMES: Names = {
  licensed: ['已激活', 'Licensed'],
  grace: ['宽限期', 'Grace period'],
  trial: ['试用', 'Trial'],
  unlicensed: ['未激活', 'Unlicensed'],
  unknown: ['未知', 'Unknown'],
};

export const LICENCE_TYPE_NAMES: Names = {
  'perpetual-device': ['永久授权（按设备）', 'Perpetual (per device)'],
  subscription: ['订阅', 'Subscription'],
  oem: ['OEM 预装', 'OEM'],
  volume: ['批量授权', 'Volume'],
  site: ['场地授权', 'Site'],
};

export const SEVERITY_COLOURS: Record<string, string> = { info: 'default', low: 'blue', medium: 'orange', high: 'red', critical: 'magenta' };

/** The name of `value` in the current language, or the value itself. */
export function nameOf(names: Names, value: string | null | undefined, lang: 'zh' | 'en'): string {
  if (!value) return '—';
  return names[value]?.[lang === 'zh' ? 0 : 1] ?? value;
}
