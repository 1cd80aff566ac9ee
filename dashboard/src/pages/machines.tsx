import { Alert, Card, Empty, Input, Select, Space, Table, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { Link } from 'react-router';
import { api, query } from '../api.ts';
import { MachineRegistration } from '../components/machine-registration.tsx';
import { formatTime } from '../format.ts';
import { useI18n } from '../i18n.tsx';
import { ACTIVATION_NAMES, nameOf, OS_FAMILY_NAMES } from '../labels.ts';
import { useLiveReload } from '../live.tsx';
import type { MachineRow } from '../types.ts';
import { useApi } from '../use-api.ts';

type SeenFilter = '' | '24h' | '7d' | 'stale';
const DAY = 86_400_000;

/** Whether a machine's last contact matches the "last seen" filter. */
function matchesSeen(lastSeenAt: string | null, filter: SeenFilter, now: number): boolean {
  if (!filter) return true;
  const age = lastSeenAt ? now - Date.parse(lastSeenAt) : Infinity;
  return filter === '24h' ? age <= DAY : filter === '7d' ? age <= 7 * DAY : age > 7 * DAY;
}

/** 计算机: machines in scope, paged by the server; filters by hostname, OS family, activation, last seen. */
export function MachinesPage() {
  const { t, lang } = useI18n();
  const [page, setPage] = useState({ current: 1, pageSize: 50 });
  const [search, setSearch] = useState('');
  const [family, setFamily] = useState('');
  const [activation, setActivation] = useState('');
  const [seen, setSeen] = useState<SeenFilter>('');
  const list = useApi(
    () => api<{ machines: MachineRow[]; total: number }>('GET', `/api/machines${query({ limit: page.pageSize, offset: (page.current - 1) * page.pageSize })}`),
    [page.current, page.pageSize],
  );
  useLiveReload(list.reload, (event) => event.type.startsWith('machine.') || event.type.startsWith('install.'));

  const rows = useMemo(() => {
    const now = Date.now();
    const needle = search.trim().toLowerCase();
    return (list.data?.machines ?? []).filter(
      (m) =>
        (!needle || m.hostname.toLowerCase().includes(needle)) &&
        (!family || m.os.family === family) &&
        (!activation || (m.activation.status ?? 'unknown') === activation) &&
        matchesSeen(m.lastSeenAt, seen, now),
    );
  }, [list.data, search, family, activation, seen]);

  const anyOption = { value: '', label: t('machines.any') };
  const filtered = Boolean(search || family || activation || seen);
  return (
    <Card title={t('menu.machines')} data-testid="machines-page" extra={<MachineRegistration onChanged={list.reload} />}>
      <Space wrap style={{ marginBottom: 12 }}>
        <Input.Search allowClear placeholder={t('machines.search')} value={search} onChange={(e) => setSearch(e.target.value)} style={{ width: 220 }} />
        <Select style={{ width: 160 }} value={family} onChange={setFamily} options={[anyOption, ...Object.keys(OS_FAMILY_NAMES).map((v) => ({ value: v, label: nameOf(OS_FAMILY_NAMES, v, lang) }))]} prefix={`${t('machines.os')}：`} />
        <Select style={{ width: 170 }} value={activation} onChange={setActivation} options={[anyOption, ...Object.keys(ACTIVATION_NAMES).map((v) => ({ value: v, label: nameOf(ACTIVATION_NAMES, v, lang) }))]} prefix={`${t('machines.activation')}：`} />
        <Select<SeenFilter>
          style={{ width: 210 }}
          value={seen}
          onChange={setSeen}
          prefix={`${t('machines.lastSeen')}：`}
          options={[
            { value: '', label: t('machines.any') },
            { value: '24h', label: t('machines.seen24h') },
            { value: '7d', label: t('machines.seen7d') },
            { value: 'stale', label: t('machines.stale7d') },
          ]}
        />
      </Space>
      {filtered && <Typography.Paragraph type="secondary">{t('machines.filterNote')}</Typography.Paragraph>}
      {list.error && <Alert type="error" showIcon title={t('common.error', { message: list.error.message })} style={{ marginBottom: 12 }} />}
      <Table<MachineRow>
        size="small"
        rowKey="id"
        loading={list.loading && !list.data}
        dataSource={rows}
        locale={{ emptyText: <Empty description={t('machines.empty')} /> }}
        pagination={{
          current: page.current,
          pageSize: page.pageSize,
          total: list.data?.total ?? 0,
          showSizeChanger: true,
          pageSizeOptions: [20, 50, 100, 200],
          showTotal: (n) => t('common.total', { n }),
          onChange: (current, pageSize) => setPage({ current, pageSize }),
        }}
        columns={[
          { title: t('machines.hostname'), dataIndex: 'hostname', render: (hostname: string, m) => <Link to={`/machines/${m.id}`}>{hostname}</Link> },
          { title: t('machines.unit'), render: (_, m) => m.org.name },
          { title: t('machines.os'), render: (_, m) => `${nameOf(OS_FAMILY_NAMES, m.os.family, lang)} ${m.os.version ?? ''}` },
          {
            title: t('machines.activation'),
            render: (_, m) => <Tag color={m.activation.status === 'licensed' ? 'green' : m.activation.status === 'unlicensed' ? 'red' : 'default'}>{nameOf(ACTIVATION_NAMES, m.activation.status ?? 'unknown', lang)}</Tag>,
          },
          { title: t('machines.software'), dataIndex: 'softwareCount', align: 'right' },
          { title: t('machines.agent'), dataIndex: 'agentVersion' },
          { title: t('machines.lastSeen'), dataIndex: 'lastSeenAt', render: (value: string | null) => formatTime(value, lang) },
        ]}
      />
    </Card>
  );
}
