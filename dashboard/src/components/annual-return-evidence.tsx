import { Alert, Drawer, Empty, Space, Table, Typography } from 'antd';
import { Link } from 'react-router';
import { COLUMN_HEADINGS, FIGURE_KEYS, type EvidenceLicence, type EvidenceMachine, type Excluded, type FigureKey } from '../annual-return-types.ts';
import { formatTime } from '../format.ts';
import { useI18n } from '../i18n.tsx';
import { LICENCE_TYPE_NAMES, nameOf, OS_FAMILY_NAMES } from '../labels.ts';

/** What is behind the figures of the form shown: the live draft's or a stored version's. */
export interface FigureEvidence {
  asOf: string;
  ids: Record<string, string[]>;
  licenceSets: Record<string, number>;
  excluded: Excluded;
  machines: Record<string, EvidenceMachine>;
  licences: Record<string, EvidenceLicence>;
  /** True for a submitted version: the lists are what was frozen then. */
  frozen: boolean;
}

const MACHINE_FIGURES: FigureKey[] = ['computers', 'windows', 'kylin'];

/** The machines or ledger rows behind one figure of the form, each opening its own page. */
export function FigureEvidenceDrawer({ figure, evidence, productName, onClose }: { figure: FigureKey | undefined; evidence: FigureEvidence | undefined; productName: (id: string) => string; onClose: () => void }) {
  const { t, lang } = useI18n();
  const ids = figure && evidence ? (evidence.ids[figure] ?? []) : [];
  const isMachines = figure ? MACHINE_FIGURES.includes(figure) : false;
  const heading = figure ? COLUMN_HEADINGS[2 + FIGURE_KEYS.indexOf(figure)] : '';
  const missing = t('wb.ar.notInUnit');
  const machineRows = ids.map((id) => ({ id, ...(evidence?.machines[id] ?? { hostname: missing, osFamily: null, lastSeenAt: null }) })).sort((a, b) => a.hostname.localeCompare(b.hostname));
  const licenceRows = ids.map((id) => ({ id, sets: evidence?.licenceSets[id] ?? null, licence: evidence?.licences[id] }));
  const virtual = figure === 'computers' ? (evidence?.excluded.virtual ?? []) : [];
  return (
    <Drawer open={Boolean(figure)} onClose={onClose} size={720} title={`${heading}：${ids.length}`} data-testid="figure-evidence">
      {evidence && (
        <Space orientation="vertical" size={12} style={{ width: '100%' }}>
          <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
            {evidence.frozen ? t('wb.ar.evidenceFrozen', { asOf: evidence.asOf }) : t('wb.ar.evidenceLive', { asOf: evidence.asOf })} {isMachines ? t(`wb.ar.rule.${figure}`) : t('wb.ar.rule.sets')}
          </Typography.Paragraph>
          {isMachines ? (
            <Table
              size="small"
              rowKey="id"
              dataSource={machineRows}
              pagination={{ pageSize: 20, hideOnSinglePage: true }}
              locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('wb.ar.noMachines')} /> }}
              columns={[
                { title: t('machines.hostname'), dataIndex: 'hostname', render: (h: string, r) => (evidence.machines[r.id] ? <Link to={`/machines/${r.id}`}>{h}</Link> : <Typography.Text type="secondary">{h}</Typography.Text>) },
                { title: t('machines.os'), dataIndex: 'osFamily', render: (v: string | null) => (v ? nameOf(OS_FAMILY_NAMES, v, lang) : t('wb.ar.notScanned')) },
                { title: t('machines.lastSeen'), dataIndex: 'lastSeenAt', render: (v: string | null) => formatTime(v, lang) },
              ]}
            />
          ) : (
            <Table
              size="small"
              rowKey="id"
              dataSource={licenceRows}
              pagination={false}
              locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('wb.ar.noLicences')} /> }}
              columns={[
                { title: t('ledger.product'), render: (_, r) => (r.licence ? productName(r.licence.productId) : missing) },
                { title: t('ledger.type'), render: (_, r) => nameOf(LICENCE_TYPE_NAMES, r.licence?.type, lang) },
                { title: t('ledger.quantity'), align: 'right', render: (_, r) => r.licence?.quantity ?? '—' },
                { title: t('wb.ar.setsCounted'), align: 'right', render: (_, r) => r.sets ?? '—' },
                { title: t('ledger.startsOn'), render: (_, r) => r.licence?.startsOn ?? r.licence?.purchasedOn ?? '—' },
                { title: t('ledger.endsOn'), render: (_, r) => r.licence?.endsOn ?? '—' },
                { title: t('ledger.contractNo'), render: (_, r) => r.licence?.contractNo ?? '—' },
              ]}
            />
          )}
          {!isMachines && <Link to="/ledger">{t('wb.ar.openLedger')}</Link>}
          {virtual.length > 0 && (
            <Alert
              type="info"
              showIcon
              title={t('wb.ar.virtualExcluded', { n: virtual.length })}
              description={virtual.map((id) => evidence.machines[id]?.hostname ?? id).join('、')}
            />
          )}
        </Space>
      )}
    </Drawer>
  );
}
