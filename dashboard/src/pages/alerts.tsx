import { Alert, App, Button, Card, Empty, Segmented, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { api, query } from '../api.ts';
import { ALERT_KIND_COLOURS, ALERT_KIND_NAMES } from '../alert-kinds.ts';
import { alertText } from '../alert-text.ts';
import { useAuth } from '../auth.tsx';
import { useCatalog } from '../catalog.ts';
import { UnitPicker } from '../components/unit-picker.tsx';
import { errorText } from '../errors.ts';
import { formatTime } from '../format.ts';
import { useI18n } from '../i18n.tsx';
import { nameOf } from '../labels.ts';
import { useLiveReload } from '../live.tsx';
import { canWrite, isBureau } from '../roles.ts';
import { useApi } from '../use-api.ts';

interface AlertItem {
  id: string;
  orgId: string;
  orgName: string;
  kind: string;
  subject: string;
  message: string;
  facts: Record<string, string | number | null> | null;
  machineId: string | null;
  productId: string | null;
  createdAt: string;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
}

/** 提醒: subscriptions ending, new shortfalls, new findings, silent computers; admins acknowledge them. */
export function AlertsPage() {
  const { user } = useAuth();
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const catalog = useCatalog();
  const bureau = isBureau(user!.role);
  const [orgId, setOrgId] = useState<string | undefined>(undefined);
  const [kind, setKind] = useState<string | undefined>(undefined);
  const [shown, setShown] = useState<'open' | 'all'>('open');
  const [page, setPage] = useState({ current: 1, pageSize: 50 });
  const list = useApi(
    () =>
      api<{ alerts: AlertItem[]; total: number }>(
        'GET',
        `/api/alerts${query({ orgId, kind, acknowledged: shown === 'all' ? 'true' : undefined, limit: page.pageSize, offset: (page.current - 1) * page.pageSize })}`,
      ),
    [orgId, kind, shown, page.current, page.pageSize],
  );
  useLiveReload(list.reload, (event) => event.type.startsWith('finding.') || event.type === 'position.changed');
  const acknowledge = async (alert: AlertItem) => {
    try {
      await api('POST', `/api/alerts/${alert.id}/ack`);
      message.success(t('wb.alerts.acknowledged'));
      list.reload();
    } catch (error) {
      message.error(errorText(error, t));
    }
  };
  const link = (a: AlertItem) => {
    if (a.machineId) return <Link to={`/machines/${a.machineId}`}>{t('wb.alerts.openMachine')}</Link>;
    if (a.kind === 'licence.shortfall' && a.productId) return <Link to={`/positions${query({ product: a.productId, orgId: bureau ? a.orgId : undefined })}`}>{t('wb.alerts.openPosition')}</Link>;
    if (a.kind === 'subscription.expiring') return <Link to="/ledger">{t('wb.alerts.openLedger')}</Link>;
    if (a.kind === 'annual-return.due') return <Link to={bureau ? `/annual-return/units/${a.orgId}` : '/annual-return'}>{t('wb.alerts.openReturn')}</Link>;
    return null;
  };
  return (
    <Card
      title={t('menu.alerts')}
      data-testid="alerts-page"
      extra={
        <Space wrap>
          {bureau && (
            <UnitPicker
              value={orgId}
              onChange={(id) => {
                setOrgId(id);
                setPage((p) => ({ ...p, current: 1 }));
              }}
            />
          )}
          <Select
            allowClear
            placeholder={t('wb.alerts.anyKind')}
            style={{ width: 180 }}
            value={kind}
            onChange={(value?: string) => {
              setKind(value);
              setPage((p) => ({ ...p, current: 1 }));
            }}
            options={Object.keys(ALERT_KIND_NAMES).map((k) => ({ value: k, label: nameOf(ALERT_KIND_NAMES, k, lang) }))}
          />
          <Segmented
            value={shown}
            onChange={(value) => {
              setShown(value as 'open' | 'all');
              setPage((p) => ({ ...p, current: 1 }));
            }}
            options={[
              { value: 'open', label: t('wb.alerts.open') },
              { value: 'all', label: t('wb.alerts.all') },
            ]}
          />
        </Space>
      }
    >
      {list.error && <Alert type="error" showIcon title={errorText(list.error, t)} style={{ marginBottom: 12 }} />}
      <Table<AlertItem>
        size="small"
        rowKey="id"
        loading={list.loading && !list.data}
        dataSource={list.data?.alerts ?? []}
        locale={{ emptyText: <Empty description={t('wb.alerts.empty')} /> }}
        pagination={{ current: page.current, pageSize: page.pageSize, total: list.data?.total ?? 0, showTotal: (n) => t('common.total', { n }), onChange: (current, pageSize) => setPage({ current, pageSize }) }}
        columns={[
          { title: t('wb.alerts.kind'), dataIndex: 'kind', width: 140, render: (k: string) => <Tag color={ALERT_KIND_COLOURS[k] ?? 'default'}>{nameOf(ALERT_KIND_NAMES, k, lang)}</Tag> },
          ...(bureau ? [{ title: t('overview.unit'), dataIndex: 'orgName', width: 150, ellipsis: true }] : []),
          {
            title: t('wb.alerts.what'),
            render: (_, a) => (
              <Space orientation="vertical" size={0}>
                {a.productId && <Typography.Text>{catalog.productName(a.productId)}</Typography.Text>}
                <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid="alert-text">
                  {alertText(a, lang, catalog.productName)}
                </Typography.Text>
              </Space>
            ),
          },
          { title: t('wb.alerts.at'), dataIndex: 'createdAt', width: 170, render: (v: string) => formatTime(v, lang) },
          { title: t('wb.alerts.next'), width: 130, render: (_, a) => link(a) },
          {
            title: t('wb.findings.status'),
            width: 110,
            render: (_, a) =>
              a.acknowledgedAt ? (
                <Typography.Text type="secondary">{t('wb.alerts.ackedBy', { who: a.acknowledgedBy ?? '—', at: formatTime(a.acknowledgedAt, lang) })}</Typography.Text>
              ) : canWrite(user!.role) ? (
                <Button size="small" onClick={() => void acknowledge(a)}>
                  {t('wb.alerts.acknowledge')}
                </Button>
              ) : (
                <Tag color="orange">{t('wb.alerts.open')}</Tag>
              ),
          },
        ]}
      />
    </Card>
  );
}
