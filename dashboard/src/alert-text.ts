/**
 * An alert said in the dashboard's language, from the figures the server keeps with it (`facts`,
 * server/src/alerts/sweep.ts AlertFacts) and the catalog's product names. Alerts raised before the
 * server kept facts show the Chinese sentence it stored.
 */
import { findingName, findingSummary, severityName } from './finding-codes.ts';
import { formatTime } from './format.ts';
import type { Lang } from './i18n.tsx';

export interface AlertForText {
  kind: string;
  message: string;
  productId: string | null;
  facts: Record<string, string | number | null> | null;
}

export function alertText(alert: AlertForText, lang: Lang, productName: (id: string) => string): string {
  const f = alert.facts;
  if (!f) return alert.message;
  const zh = lang === 'zh';
  const product = alert.productId ? productName(alert.productId) : '';
  const text = (key: string) => (f[key] === null || f[key] === undefined ? '' : String(f[key]));
  switch (alert.kind) {
    case 'subscription.expiring': {
      const contract = text('contractNo');
      return zh
        ? `${product} 的订阅授权（${text('quantity')} 套${contract ? `，合同 ${contract}` : ''}）将于 ${text('endsOn')} 到期，请及时续订或在台账中更新。`
        : `The subscription for ${product} (${text('quantity')} licence(s)${contract ? `, contract ${contract}` : ''}) ends on ${text('endsOn')}: renew it or update the ledger.`;
    }
    case 'licence.shortfall':
      return zh
        ? `${product} 缺 ${text('shortfall')} 套授权：安装 ${text('installs')} 台，已有授权覆盖 ${text('covered')} 台。`
        : `${product} is short of ${text('shortfall')} licence(s): installed on ${text('installs')} computer(s), ${text('covered')} covered.`;
    case 'finding.opened': {
      const code = text('code');
      const summary = findingSummary({ code, subject: f.subject === null ? null : text('subject'), origin: text('origin'), evidence: f.evidence === null ? null : text('evidence') }, lang, productName);
      const detail = summary && summary !== '—' ? ` — ${summary}` : '';
      return zh
        ? `${text('hostname')}：${findingName(code, lang)}（${severityName(text('severity'), lang)}）${detail}`
        : `${text('hostname')}: ${findingName(code, lang)} (${severityName(text('severity'), lang)})${detail}`;
    }
    case 'machine.silent':
      return zh
        ? `${text('hostname')} 自 ${formatTime(text('lastSeenAt'), lang)} 起未上报，请检查计算机是否在用、代理是否运行。`
        : `${text('hostname')} has not reported since ${formatTime(text('lastSeenAt'), lang)}: check that the computer is in use and its agent running.`;
    case 'annual-return.due': {
      const daysLeft = Number(f.daysLeft);
      if (zh) return `${text('year')} 年度报表尚未报送，${text('dueDate')} 截止，${daysLeft >= 0 ? `还有 ${daysLeft} 天` : `已逾期 ${-daysLeft} 天`}。`;
      return `The ${text('year')} annual return is not submitted; due ${text('dueDate')}, ${daysLeft >= 0 ? `${daysLeft} day(s) left` : `${-daysLeft} day(s) overdue`}.`;
    }
    default:
      return alert.message;
  }
}
