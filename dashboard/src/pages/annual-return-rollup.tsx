import { DownloadOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Col, Empty, Row, Segmented, Select, Space, Statistic, Table, Tabs } from 'antd';
import { useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api } from '../api.ts';
import { FIGURE_KEYS, type Deadline, type Rollup, type RollupTotals, type RollupUnit } from '../annual-return-types.ts';
import { errorText } from '../errors.ts';
import { useI18n } from '../i18n.tsx';
import { useApi } from '../use-api.ts';
import { StatusTag, yearOptions } from './annual-return-unit.tsx';

const counted = (u: RollupUnit) => u.status === 'submitted' || u.status === 'accepted';

/** The bureau's roll-up (汇总) for a year: every unit's status and figures, subtotals, who has not submitted. */
export function RollupView() {
  const { t } = useI18n();
  const [params, setParams] = useSearchParams();
  const year = Number(params.get('year')) || new Date().getFullYear();
  const [filter, setFilter] = useState<'all' | 'pending' | 'missing'>('all');
  const answer = useApi(() => api<{ rollup: Rollup; deadline: Deadline }>('GET', `/api/annual-returns?year=${year}`), [year]);
  const rollup = answer.data?.rollup;
  const deadline = answer.data?.deadline;
  const units = useMemo(
    () => (rollup?.units ?? []).filter((u) => filter === 'all' || (filter === 'pending' ? u.status === 'submitted' : !counted(u))),
    [rollup, filter],
  );
  const figureColumns = FIGURE_KEYS.map((key) => ({ title: t(`wb.ar.short.${key}`), align: 'right' as const, render: (_: unknown, r: { totals?: RollupTotals; row?: RollupUnit['row'] }) => (r.totals ? r.totals[key] : (r.row?.[key] ?? '—')) }));
  const totalsTable = (groups: Rollup['byRegion'], label: string) => (
    <Table
      size="small"
      rowKey="key"
      dataSource={[...groups, ...(rollup ? [{ key: t('wb.ar.cityTotal'), totals: rollup.city }] : [])]}
      pagination={false}
      columns={[
        { title: label, dataIndex: 'key' },
        { title: t('wb.ar.unitsCounted'), align: 'right', render: (_, g) => g.totals.units },
        { title: t('wb.ar.staffCount'), align: 'right', render: (_, g) => g.totals.staffCount },
        ...figureColumns,
      ]}
    />
  );

  if (answer.error) return <Alert type="error" showIcon title={errorText(answer.error, t)} />;
  const submitted = rollup ? rollup.units.length - rollup.notSubmitted.length : 0;
  const pendingReview = rollup?.units.filter((u) => u.status === 'submitted').length ?? 0;
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }} data-testid="annual-return-rollup">
      <Row gutter={16}>
        {[
          { key: 'units', title: t('wb.ar.unitsTotal'), value: rollup?.units.length ?? 0 },
          { key: 'submitted', title: t('wb.ar.unitsSubmitted'), value: submitted },
          { key: 'pending', title: t('wb.ar.unitsPending'), value: pendingReview },
          { key: 'missing', title: t('wb.ar.unitsMissing'), value: rollup?.notSubmitted.length ?? 0, danger: (rollup?.notSubmitted.length ?? 0) > 0 },
          { key: 'computers', title: t('wb.ar.cityComputers'), value: rollup?.city.computers ?? 0 },
          { key: 'days', title: deadline?.overdue ? t('wb.ar.daysOverdue') : t('wb.ar.daysLeft'), value: deadline ? Math.abs(deadline.daysLeft) : '—', danger: deadline?.remind },
        ].map((s) => (
          <Col span={4} key={s.key}>
            <Card size="small" loading={!rollup}>
              <Statistic title={s.title} value={s.value} styles={{ content: s.danger ? { color: '#cf1322' } : undefined }} />
            </Card>
          </Col>
        ))}
      </Row>
      <Card
        title={t('wb.ar.rollupTitle', { year })}
        extra={
          <Space>
            <Select value={year} style={{ width: 130 }} onChange={(y) => setParams({ year: String(y) }, { replace: true })} options={yearOptions().map((y) => ({ value: y, label: t('wb.ar.yearOption', { year: y }) }))} />
            <Button icon={<DownloadOutlined />} href={`/api/annual-returns/rollup.xlsx?year=${year}`} download>
              {t('wb.ar.rollupXlsx')}
            </Button>
          </Space>
        }
      >
        {deadline && <Alert type={deadline.overdue ? 'error' : deadline.remind ? 'warning' : 'info'} showIcon style={{ marginBottom: 12 }} title={deadline.overdue ? t('wb.ar.rollupOverdue', { due: deadline.dueDate, n: rollup?.notSubmitted.length ?? 0 }) : t('wb.ar.rollupDue', { due: deadline.dueDate, days: deadline.daysLeft, n: rollup?.notSubmitted.length ?? 0 })} />}
        <Tabs
          items={[
            {
              key: 'units',
              label: t('wb.ar.byUnit'),
              children: (
                <>
                  <Segmented
                    style={{ marginBottom: 12 }}
                    value={filter}
                    onChange={setFilter}
                    options={[
                      { value: 'all', label: t('wb.ar.filterAll') },
                      { value: 'pending', label: `${t('wb.ar.filterPending')} (${pendingReview})` },
                      { value: 'missing', label: `${t('wb.ar.filterMissing')} (${rollup?.notSubmitted.length ?? 0})` },
                    ]}
                  />
                  <Table<RollupUnit>
                    size="small"
                    rowKey="unitId"
                    loading={answer.loading && !rollup}
                    dataSource={units}
                    locale={{ emptyText: <Empty description={t('wb.ar.noUnits')} /> }}
                    pagination={{ pageSize: 50, hideOnSinglePage: true, showTotal: (n) => t('common.total', { n }) }}
                    columns={[
                      { title: t('wb.ar.region'), dataIndex: 'region', render: (v: string | null) => v ?? '—' },
                      { title: t('wb.ar.sector'), dataIndex: 'sector', render: (v: string | null) => v ?? '—' },
                      { title: t('overview.unit'), dataIndex: 'unitName', render: (name: string, u) => <Link to={`/annual-return/units/${u.unitId}?year=${year}`}>{name}</Link> },
                      { title: t('wb.ar.status'), dataIndex: 'status', render: (s: string) => <StatusTag status={s} /> },
                      { title: t('wb.ar.staffCount'), align: 'right', render: (_, u) => u.row?.staffCount ?? '—' },
                      ...figureColumns,
                    ]}
                  />
                </>
              ),
            },
            { key: 'region', label: t('wb.ar.byRegion'), children: totalsTable(rollup?.byRegion ?? [], t('wb.ar.region')) },
            { key: 'sector', label: t('wb.ar.bySector'), children: totalsTable(rollup?.bySector ?? [], t('wb.ar.sector')) },
          ]}
        />
      </Card>
    </Space>
  );
}
