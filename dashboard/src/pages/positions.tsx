import { Alert, Button, Card, Col, Empty, Row, Select, Space, Statistic, Switch, Table, Tag, Tooltip, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api, query } from '../api.ts';
import { useAuth } from '../auth.tsx';
import { useCatalog } from '../catalog.ts';
import { DefinitionsPanel } from '../components/definitions.tsx';
import { PositionDrawer, type MachineSet } from '../components/position-detail.tsx';
import { UnitPicker } from '../components/unit-picker.tsx';
import { errorText } from '../errors.ts';
import { formatPercent, formatTime } from '../format.ts';
import { useI18n } from '../i18n.tsx';
import { useLiveReload } from '../live.tsx';
import { canWrite, isBureau } from '../roles.ts';
import { useApi } from '../use-api.ts';

interface PositionRow {
  orgId: string;
  orgName: string;
  productId: string;
  installs: number;
  licences: number | null;
  covered: number;
  shortfall: number;
  surplus: number | null;
  seatsUsed: number;
  computedAt: string;
}

interface Rates {
  key: string;
  machines: number;
  compliantMachines: number;
  osMachines: number;
  kylinMachines: number;
  domesticOsMachines: number;
  officeSuites: number;
  domesticOfficeSuites: number;
}

/** Sums rate rows (one unit, or every unit in scope) and divides once, as the server defines the rates. */
function summarise(rows: Rates[]) {
  const sum = (pick: (r: Rates) => number) => rows.reduce((n, r) => n + pick(r), 0);
  const ratio = (a: number, b: number) => (b === 0 ? null : a / b);
  return {
    machines: sum((r) => r.machines),
    compliance: ratio(sum((r) => r.compliantMachines), sum((r) => r.machines)),
    kylin: ratio(sum((r) => r.kylinMachines), sum((r) => r.osMachines)),
    domesticOs: ratio(sum((r) => r.domesticOsMachines), sum((r) => r.osMachines)),
    domesticOffice: ratio(sum((r) => r.domesticOfficeSuites), sum((r) => r.officeSuites)),
  };
}

/** 授权状况: per unit x product, installs against licences in force, with the machines behind every number. */
export function PositionsPage() {
  const { user } = useAuth();
  const { t, lang } = useI18n();
  const [params, setParams] = useSearchParams();
  const bureau = isBureau(user!.role);
  const orgId = bureau ? (params.get('orgId') ?? undefined) : undefined;
  const product = params.get('product') ?? undefined;
  const shortfallOnly = params.get('shortfall') === 'true';
  const catalog = useCatalog();
  const positions = useApi(
    () => api<{ positions: PositionRow[] }>('GET', `/api/positions${query({ orgId, product, shortfall: shortfallOnly ? 'true' : undefined })}`),
    [orgId, product, shortfallOnly],
  );
  const rates = useApi(() => api<{ rows: Rates[] }>('GET', '/api/compliance/rates?by=unit'), []);
  useLiveReload(positions.reload, (event) => event.type === 'position.changed');
  useLiveReload(rates.reload, (event) => event.type.startsWith('finding.') || event.type.startsWith('install.') || event.type === 'machine.enrolled');
  const [opened, setOpened] = useState<{ orgId: string; orgName: string; productId: string; set: MachineSet } | undefined>(undefined);

  const setParam = (key: string, value: string | undefined) =>
    setParams(
      (previous) => {
        const next = new URLSearchParams(previous);
        if (value) next.set(key, value);
        else next.delete(key);
        return next;
      },
      { replace: true },
    );

  const summary = useMemo(() => summarise((rates.data?.rows ?? []).filter((r) => !orgId || r.key === orgId)), [rates.data, orgId]);
  const rows = positions.data?.positions ?? [];
  const totalShortfall = rows.reduce((n, r) => n + r.shortfall, 0);
  const open = (row: PositionRow, set: MachineSet) => setOpened({ orgId: row.orgId, orgName: row.orgName, productId: row.productId, set });
  const number = (value: number, row: PositionRow, set: MachineSet, testId?: string) =>
    value === 0 ? (
      <span>0</span>
    ) : (
      <Button type="link" size="small" style={{ padding: 0 }} onClick={() => open(row, set)} data-testid={testId}>
        {value}
      </Button>
    );

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }} data-testid="positions-page">
      <Row gutter={16}>
        {[
          { key: 'machines', title: t('overview.machines'), value: String(summary.machines) },
          { key: 'compliance', title: t('overview.compliance'), value: formatPercent(summary.compliance) },
          { key: 'kylin', title: t('wb.pos.kylinShare'), value: formatPercent(summary.kylin) },
          { key: 'domesticOs', title: t('overview.domesticOs'), value: formatPercent(summary.domesticOs) },
          { key: 'domesticOffice', title: t('overview.domesticOffice'), value: formatPercent(summary.domesticOffice) },
          { key: 'shortfall', title: t('wb.pos.totalShortfall'), value: String(totalShortfall), danger: totalShortfall > 0 },
        ].map((s) => (
          <Col span={4} key={s.key}>
            <Card size="small" data-testid={`pos-stat-${s.key}`}>
              <Statistic title={s.title} value={s.value} styles={{ content: s.danger ? { color: '#cf1322' } : undefined }} />
            </Card>
          </Col>
        ))}
      </Row>
      <Card
        title={t('menu.positions')}
        extra={
          <Space wrap>
            {bureau && <UnitPicker value={orgId} onChange={(id) => setParam('orgId', id)} />}
            <Select
              allowClear
              showSearch
              optionFilterProp="label"
              placeholder={t('wb.pos.allProducts')}
              style={{ width: 240 }}
              value={product}
              onChange={(id?: string) => setParam('product', id)}
              options={catalog.products.filter((p) => p.licenceModel !== 'free').map((p) => ({ value: p.id, label: `${p.vendor} ${p.name}` }))}
            />
            <Space size={4}>
              <Switch size="small" checked={shortfallOnly} onChange={(on) => setParam('shortfall', on ? 'true' : undefined)} />
              <Typography.Text>{t('wb.pos.shortfallOnly')}</Typography.Text>
            </Space>
          </Space>
        }
      >
        {positions.error && <Alert type="error" showIcon title={errorText(positions.error, t)} style={{ marginBottom: 12 }} />}
        <Table<PositionRow>
          size="small"
          rowKey={(r) => `${r.orgId}|${r.productId}`}
          loading={positions.loading && !positions.data}
          dataSource={rows}
          locale={{
            emptyText: (
              <Empty description={shortfallOnly ? t('wb.pos.noShortfall') : t('wb.pos.empty')}>
                {!shortfallOnly && canWrite(user!.role) && <Link to="/ledger">{t('wb.pos.goLedger')}</Link>}
              </Empty>
            ),
          }}
          pagination={{ pageSize: 50, hideOnSinglePage: true, showTotal: (n) => t('common.total', { n }) }}
          columns={[
            ...(bureau ? [{ title: t('overview.unit'), dataIndex: 'orgName' }] : []),
            { title: t('ledger.product'), dataIndex: 'productId', render: (id: string) => catalog.productName(id) },
            { title: <Tooltip title={t('wb.pos.installsHelp')}>{t('wb.pos.installs')}</Tooltip>, dataIndex: 'installs', align: 'right', render: (n: number, r) => number(n, r, 'installed', `installs-${r.productId}`) },
            { title: t('wb.pos.licences'), dataIndex: 'licences', align: 'right', render: (n: number | null) => (n === null ? t('wb.pos.unlimited') : n) },
            { title: t('wb.pos.covered'), dataIndex: 'covered', align: 'right', render: (n: number, r) => number(n, r, 'covered') },
            {
              title: t('wb.pos.shortfall'),
              dataIndex: 'shortfall',
              align: 'right',
              sorter: (a, b) => a.shortfall - b.shortfall,
              render: (n: number, r) =>
                n > 0 ? (
                  <Button type="link" danger size="small" style={{ padding: 0 }} onClick={() => open(r, 'uncovered')} data-testid={`shortfall-${r.productId}`}>
                    <Tag color="red">{n}</Tag>
                  </Button>
                ) : (
                  <Tag color="green">0</Tag>
                ),
            },
            { title: t('wb.pos.surplus'), dataIndex: 'surplus', align: 'right', render: (n: number | null) => (n === null ? t('wb.pos.unlimited') : n) },
            { title: t('wb.pos.computedAt'), dataIndex: 'computedAt', render: (v: string) => formatTime(v, lang) },
          ]}
        />
      </Card>
      <DefinitionsPanel />
      <PositionDrawer target={opened} productName={catalog.productName} onClose={() => setOpened(undefined)} />
    </Space>
  );
}
