import { Alert, Descriptions, Drawer, Empty, Segmented, Space, Table, Tag, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { Link } from 'react-router';
import { api, query } from '../api.ts';
import { useAuth } from '../auth.tsx';
import { errorText } from '../errors.ts';
import { formatTime } from '../format.ts';
import { useI18n } from '../i18n.tsx';
import { LICENCE_TYPE_NAMES, nameOf } from '../labels.ts';
import { useLiveReload } from '../live.tsx';
import { canWrite } from '../roles.ts';
import type { Licence } from '../types.ts';
import { useApi } from '../use-api.ts';

/** Which machines of a position to list: the drawer opens on the number that was clicked. */
export type MachineSet = 'uncovered' | 'expired' | 'covered' | 'installed';

interface PositionDetail {
  orgId: string;
  productId: string;
  installs: number;
  licences: number | null;
  covered: number;
  shortfall: number;
  surplus: number | null;
  seatsUsed: number;
  computedAt: string;
  machines: Record<MachineSet, string[]>;
  coveredBy: Array<{ licenceId: string; via: string; machineIds: string[] }>;
  hostnames: Record<string, string>;
}

const VIA_NAMES: Record<string, [string, string]> = {
  oem: ['OEM 随机授权', 'OEM'],
  site: ['场地授权', 'Site licence'],
  exact: ['同版本授权', 'Same version'],
  downgrade: ['降级权利', 'Downgrade rights'],
  suite: ['套件授权', 'Suite'],
};

/**
 * One licence position (unit x product): its numbers, the machines behind each (each opening its
 * machine page), and the ledger rows covering them with how (OEM, site, exact, downgrade, suite).
 */
export function PositionDrawer({ target, productName, onClose }: { target: { orgId: string; orgName: string; productId: string; set: MachineSet } | undefined; productName: (id: string) => string; onClose: () => void }) {
  const { t, lang } = useI18n();
  const { user } = useAuth();
  const [set, setSet] = useState<MachineSet>('installed');
  useEffect(() => {
    if (target) setSet(target.set);
  }, [target]);
  const detail = useApi(
    () => (target ? api<{ position: PositionDetail }>('GET', `/api/positions/${target.orgId}/detail${query({ product: target.productId })}`) : Promise.resolve(undefined)),
    [target?.orgId, target?.productId],
  );
  useLiveReload(detail.reload, (event) => Boolean(target) && event.type === 'position.changed' && event.orgId === target?.orgId && event.productId === target?.productId);
  const ledger = useApi(() => (target ? api<{ licences: Licence[] }>('GET', `/api/licences${query({ orgId: target.orgId, limit: 1000 })}`) : Promise.resolve(undefined)), [target?.orgId]);
  const licenceById = useMemo(() => new Map((ledger.data?.licences ?? []).map((l) => [l.id, l])), [ledger.data]);
  const p = detail.data?.position;
  const hostRows = (p?.machines[set] ?? []).map((id) => ({ id, hostname: p?.hostnames[id] ?? id })).sort((a, b) => a.hostname.localeCompare(b.hostname));
  const count = (key: MachineSet) => p?.machines[key]?.length ?? 0;

  return (
    <Drawer open={Boolean(target)} onClose={onClose} size={760} title={target ? `${target.orgName} · ${productName(target.productId)}` : ''} data-testid="position-detail">
      {detail.error && <Alert type="error" showIcon title={errorText(detail.error, t)} />}
      {p && (
        <Space orientation="vertical" size={16} style={{ width: '100%' }}>
          <Descriptions
            size="small"
            bordered
            column={3}
            items={[
              { key: 'installs', label: t('wb.pos.installs'), children: p.installs },
              { key: 'licences', label: t('wb.pos.licences'), children: p.licences === null ? t('wb.pos.unlimited') : p.licences },
              { key: 'covered', label: t('wb.pos.covered'), children: p.covered },
              { key: 'shortfall', label: t('wb.pos.shortfall'), children: p.shortfall > 0 ? <Typography.Text type="danger" strong>{p.shortfall}</Typography.Text> : 0 },
              { key: 'surplus', label: t('wb.pos.surplus'), children: p.surplus === null ? t('wb.pos.unlimited') : p.surplus },
              { key: 'computed', label: t('wb.pos.computedAt'), children: formatTime(p.computedAt, lang) },
            ]}
          />
          {p.shortfall > 0 && (
            <Alert
              type="warning"
              showIcon
              title={t('wb.pos.shortfallAdvice', { n: p.shortfall })}
              action={canWrite(user!.role) ? <Link to="/ledger">{t('wb.pos.goLedger')}</Link> : undefined}
            />
          )}
          <Segmented<MachineSet>
            value={set}
            onChange={setSet}
            options={[
              { value: 'uncovered', label: `${t('wb.pos.uncoveredMachines')} (${count('uncovered')})` },
              { value: 'expired', label: `${t('wb.pos.expiredMachines')} (${count('expired')})` },
              { value: 'covered', label: `${t('wb.pos.coveredMachines')} (${count('covered')})` },
              { value: 'installed', label: `${t('wb.pos.installedMachines')} (${count('installed')})` },
            ]}
          />
          <Table
            size="small"
            rowKey="id"
            dataSource={hostRows}
            pagination={{ pageSize: 20, hideOnSinglePage: true }}
            locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('wb.pos.noMachines')} /> }}
            columns={[{ title: t('machines.hostname'), dataIndex: 'hostname', render: (hostname: string, row) => <Link to={`/machines/${row.id}`}>{hostname}</Link> }]}
          />
          <Typography.Title level={5} style={{ margin: 0 }}>
            {t('wb.pos.coveredBy')}
          </Typography.Title>
          <Table
            size="small"
            rowKey={(r) => `${r.licenceId}|${r.via}`}
            dataSource={p.coveredBy}
            pagination={false}
            locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('wb.pos.noCoverage')} /> }}
            columns={[
              {
                title: t('ledger.product'),
                render: (_, r) => {
                  const licence = licenceById.get(r.licenceId);
                  return licence ? productName(licence.productId) : r.licenceId;
                },
              },
              { title: t('ledger.type'), render: (_, r) => nameOf(LICENCE_TYPE_NAMES, licenceById.get(r.licenceId)?.type, lang) },
              { title: t('ledger.quantity'), align: 'right', render: (_, r) => licenceById.get(r.licenceId)?.quantity ?? '—' },
              { title: t('ledger.contractNo'), render: (_, r) => licenceById.get(r.licenceId)?.contractNo ?? '—' },
              { title: t('wb.pos.via'), dataIndex: 'via', render: (via: string) => <Tag>{nameOf(VIA_NAMES, via, lang)}</Tag> },
              { title: t('wb.pos.machinesCovered'), align: 'right', render: (_, r) => r.machineIds.length },
            ]}
          />
        </Space>
      )}
    </Drawer>
  );
}
