/** Names of the in-app alert kinds (server/src/db/schema/compliance.ts ALERT_KINDS). */
export const ALERT_KIND_NAMES: Record<string, [string, string]> = {
  'subscription.expiring': ['订阅即将到期', 'Subscription ending'],
  'licence.shortfall': ['新增授权缺口', 'New licence shortfall'],
  'finding.opened': ['新发现问题', 'New finding'],
  'machine.silent': ['计算机 7 天未上报', 'Computer silent for 7 days'],
  'annual-return.due': ['年度报表待报送', 'Annual return due'],
};

export const ALERT_KIND_COLOURS: Record<string, string> = {
  'subscription.expiring': 'orange',
  'licence.shortfall': 'red',
  'finding.opened': 'volcano',
  'machine.silent': 'default',
  'annual-return.due': 'blue',
};
