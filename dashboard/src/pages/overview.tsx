import { Button, Card, Col, Empty, List, Row, Statistic, Table, Tag, Typography } from 'antd';
import { useMemo } from 'react';
import { Link } from 'react-router';
import { api } from '../api.ts';
import { useAuth } from '../auth.tsx';
import { EChart } from '../echart.tsx';
import { formatPercent, formatTime } from '../format.ts';
import { useI18n, type Translate } from '../i18n.tsx';
import { useLive, useLiveReload } from '../live.tsx';
import { canUsePage, isBureau } from '../roles.ts';
import type { LiveEvent, RateRow } from '../types.ts';
import { useApi } from '../use-api.ts';

type Rates = { by: string; rows: RateRow[] };

/** Adds up rate rows into one row for the whole scope. */
function totalOf(rows: RateRow[]) {
  const sum = (pick: (row: RateRow) => number) => rows.reduce((total, row) => total + pick(row), 0);
  const ratio = (a: number, b: number) => (b === 0 ? null : a / b);
  const machines = sum((r) => r.machines);
  const osMachines = sum((r) => r.osMachines);
  const officeSuites = sum((r) => r.officeSuites);
  return {
    machines,
    complianceRate: ratio(sum((r) => r.compliantMachines), machines),
    domesticOsShare: ratio(sum((r) => r.domesticOsMachines), osMachines),
    domesticOfficeShare: ratio(sum((r) => r.domesticOfficeSuites), officeSuites),
  };
}

/** Compliance and domestic-OS share per group as a bar chart. */
function rateChartOption(rows: RateRow[], t: Translate, unknownLabel: string) {
  const labels = rows.map((row) => row.label || unknownLabel);
  const percent = (value: number | null) => (value === null ? null : Math.round(value * 1000) / 10);
  return {
    tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => (v === null || v === undefined ? '—' : `${String(v)}%`) },
    legend: { top: 0 },
    grid: { left: 40, right: 16, top: 36, bottom: 48 },
    xAxis: { type: 'category', data: labels, axisLabel: { interval: 0, rotate: labels.length > 6 ? 30 : 0 } },
    yAxis: { type: 'value', max: 100, axisLabel: { formatter: '{value}%' } },
    series: [
      { name: t('overview.compliance'), type: 'bar', data: rows.map((r) => percent(r.complianceRate)), itemStyle: { color: '#c0392b' } },
      { name: t('overview.domesticOs'), type: 'bar', data: rows.map((r) => percent(r.domesticOsShare)), itemStyle: { color: '#2980b9' } },
      { name: t('overview.domesticOffice'), type: 'bar', data: rows.map((r) => percent(r.domesticOfficeShare)), itemStyle: { color: '#27ae60' } },
    ],
  };
}

const EVENT_NAMES: Record<string, [string, string]> = {
  'machine.enrolled': ['计算机已注册', 'computer enrolled'],
  'machine.online': ['计算机上线', 'computer online'],
  'machine.offline': ['计算机离线', 'computer offline'],
  'agent.revoked': ['客户端已吊销', 'agent revoked'],
  'install.added': ['安装软件', 'software installed'],
  'install.removed': ['卸载软件', 'software removed'],
  'finding.opened': ['发现问题', 'finding opened'],
  'finding.closed': ['问题已解决', 'finding closed'],
  'position.changed': ['授权余缺变化', 'licence position changed'],
};

/** One line of the live feed. */
function describeEvent(event: LiveEvent, lang: 'zh' | 'en'): string {
  const name = EVENT_NAMES[event.type]?.[lang === 'zh' ? 0 : 1] ?? event.type;
  const detail = [event.productId, event.code, event.subject].filter(Boolean).join(' · ');
  const position = event.type === 'position.changed' ? (lang === 'zh' ? `安装 ${event.installs}，已授权 ${event.covered}，缺口 ${event.shortfall}` : `installs ${event.installs}, covered ${event.covered}, shortfall ${event.shortfall}`) : '';
  return [name, detail, position].filter(Boolean).join('：');
}

function LiveFeed() {
  const { events } = useLive();
  const { t, lang } = useI18n();
  return (
    <Card title={t('overview.feed')} size="small" styles={{ body: { height: 320, overflowY: 'auto', padding: '0 12px' } }} data-testid="live-feed">
      {events.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('overview.feedEmpty')} />
      ) : (
        <List
          size="small"
          dataSource={events}
          renderItem={(event) => (
            <List.Item>
              <Typography.Text>
                <Tag color={event.type.startsWith('finding.opened') ? 'red' : event.type.startsWith('install') ? 'blue' : 'default'}>{formatTime(event.at ?? null, lang).split(' ')[1] ?? ''}</Tag>
                {event.machineId ? <Link to={`/machines/${event.machineId}`}>{describeEvent(event, lang)}</Link> : describeEvent(event, lang)}
              </Typography.Text>
            </List.Item>
          )}
        />
      )}
    </Card>
  );
}

/** 总览: rates for the whole scope, by county and sector for the bureau, units ranked, live feed. */
export function OverviewPage() {
  const { user } = useAuth();
  const { t } = useI18n();
  const bureau = isBureau(user!.role);
  const units = useApi(() => api<Rates>('GET', '/api/compliance/rates?by=unit'), []);
  const regions = useApi(() => (bureau ? api<Rates>('GET', '/api/compliance/rates?by=region') : Promise.resolve(undefined)), [bureau]);
  const sectors = useApi(() => (bureau ? api<Rates>('GET', '/api/compliance/rates?by=sector') : Promise.resolve(undefined)), [bureau]);
  useLiveReload(() => {
    units.reload();
    if (bureau) {
      regions.reload();
      sectors.reload();
    }
  });

  const rows = units.data?.rows ?? [];
  const total = useMemo(() => totalOf(rows), [rows]);
  const regionOption = useMemo(() => rateChartOption(regions.data?.rows ?? [], t, t('common.none')), [regions.data, t]);
  const sectorOption = useMemo(() => rateChartOption(sectors.data?.rows ?? [], t, t('common.none')), [sectors.data, t]);
  const unitOption = useMemo(() => rateChartOption(rows.slice(0, 12), t, t('common.none')), [rows, t]);

  if (units.error) return <Card>{t('common.error', { message: units.error.message })}</Card>;
  const empty = !units.loading && total.machines === 0;

  return (
    <div data-testid="overview">
      <Row gutter={[16, 16]}>
        {[
          ['overview.machines', total.machines.toLocaleString(), 'stat-machines'],
          ['overview.compliance', formatPercent(total.complianceRate), 'stat-compliance'],
          ['overview.domesticOs', formatPercent(total.domesticOsShare), 'stat-domestic-os'],
          ['overview.domesticOffice', formatPercent(total.domesticOfficeShare), 'stat-domestic-office'],
        ].map(([key, value, testId]) => (
          <Col span={6} key={key}>
            <Card size="small" loading={units.loading && !units.data}>
              <Statistic title={t(key!)} value={value} data-testid={testId} />
            </Card>
          </Col>
        ))}
      </Row>
      {empty && (
        <Card style={{ marginTop: 16 }}>
          <Empty description={t('overview.empty')}>
            {canUsePage(user!.role, 'deployment') && (
              <Link to="/deployment">
                <Button type="primary">{t('overview.goDeploy')}</Button>
              </Link>
            )}
          </Empty>
        </Card>
      )}
      <Row gutter={[16, 16]} style={{ marginTop: 16 }}>
        <Col span={16}>
          {bureau ? (
            <Row gutter={[16, 16]}>
              <Col span={12}>
                <Card title={t('overview.byRegion')} size="small">
                  <EChart option={regionOption} height={260} label={t('overview.byRegion')} />
                </Card>
              </Col>
              <Col span={12}>
                <Card title={t('overview.bySector')} size="small">
                  <EChart option={sectorOption} height={260} label={t('overview.bySector')} />
                </Card>
              </Col>
            </Row>
          ) : (
            <Card title={t('overview.units')} size="small">
              <EChart option={unitOption} height={260} label={t('overview.units')} />
            </Card>
          )}
          <Card title={t('overview.units')} size="small" style={{ marginTop: 16 }}>
            <Table<RateRow>
              size="small"
              rowKey="key"
              data-testid="unit-rates"
              dataSource={rows}
              pagination={{ pageSize: 8, hideOnSinglePage: true }}
              columns={[
                { title: t('overview.unit'), dataIndex: 'label' },
                { title: t('overview.machines'), dataIndex: 'machines', align: 'right', sorter: (a, b) => a.machines - b.machines },
                { title: t('overview.compliant'), dataIndex: 'compliantMachines', align: 'right' },
                { title: t('overview.compliance'), dataIndex: 'complianceRate', align: 'right', render: formatPercent, sorter: (a, b) => (a.complianceRate ?? 0) - (b.complianceRate ?? 0) },
                { title: t('overview.domesticOs'), dataIndex: 'domesticOsShare', align: 'right', render: formatPercent },
                { title: t('overview.domesticOffice'), dataIndex: 'domesticOfficeShare', align: 'right', render: formatPercent },
              ]}
            />
          </Card>
        </Col>
        <Col span={8}>
          <LiveFeed />
        </Col>
      </Row>
    </div>
  );
}
