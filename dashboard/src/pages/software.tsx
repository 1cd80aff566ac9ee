import { PlusOutlined } from '@ant-design/icons';
import { Alert, App, Badge, Button, Card, Empty, Input, Select, Space, Table, Tabs, Tag, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';
import { api, query } from '../api.ts';
import { useAuth } from '../auth.tsx';
import { CATEGORY_NAMES, LICENCE_MODEL_NAMES, useCatalog, type CatalogProduct } from '../catalog.ts';
import { ProductMachinesDrawer } from '../components/product-machines.tsx';
import { RuleModal, type RuleResult, type UnrecognisedEntry } from '../components/rule-form.tsx';
import { ServerSearch } from '../components/server-search.tsx';
import { UnitPicker } from '../components/unit-picker.tsx';
import { errorText } from '../errors.ts';
import { formatTime } from '../format.ts';
import { useI18n } from '../i18n.tsx';
import { nameOf } from '../labels.ts';
import { useLiveReload } from '../live.tsx';
import { isBureau } from '../roles.ts';
import { useApi } from '../use-api.ts';

interface InstalledRow {
  productId: string;
  machines: number;
  units: number;
  product: CatalogProduct | undefined;
}

interface AdminRule {
  id: number;
  name: string;
  publisher: string | null;
  productId: string | null;
  note: string | null;
  createdAt: string;
  retiredAt: string | null;
}

/** Recognised products in scope: what they are, how they are licensed, and how many machines run them. */
function RecognisedTab({ orgId, onOpen }: { orgId: string | undefined; onOpen: (productId: string) => void }) {
  const { t, lang } = useI18n();
  const { user } = useAuth();
  const catalog = useCatalog();
  const installed = useApi(() => api<{ products: Array<Omit<InstalledRow, 'product'>> }>('GET', `/api/catalog/installed${query({ orgId })}`), [orgId]);
  useLiveReload(installed.reload, (event) => event.type === 'install.added' || event.type === 'install.removed');
  const [search, setSearch] = useState('');
  const [category, setCategory] = useState('');
  const [domestic, setDomestic] = useState('');
  const [model, setModel] = useState('');
  const rows = useMemo(() => {
    const needle = search.trim().toLowerCase();
    return (installed.data?.products ?? [])
      .map((row) => ({ ...row, product: catalog.byId.get(row.productId) }))
      .filter(
        (row) =>
          (!needle || `${row.product?.vendor ?? ''} ${row.product?.name ?? row.productId}`.toLowerCase().includes(needle)) &&
          (!category || row.product?.category === category) &&
          (!domestic || String(row.product?.domestic ?? false) === domestic) &&
          (!model || row.product?.licenceModel === model),
      );
  }, [installed.data, catalog.byId, search, category, domestic, model]);
  const any = { value: '', label: t('machines.any') };
  return (
    <>
      <Space wrap style={{ marginBottom: 12 }}>
        <Input.Search allowClear placeholder={t('wb.software.search')} value={search} onChange={(e) => setSearch(e.target.value)} style={{ width: 220 }} />
        <Select style={{ width: 180 }} value={category} onChange={setCategory} prefix={`${t('wb.software.category')}：`} options={[any, ...Object.keys(CATEGORY_NAMES).map((v) => ({ value: v, label: nameOf(CATEGORY_NAMES, v, lang) }))]} />
        <Select
          style={{ width: 160 }}
          value={domestic}
          onChange={setDomestic}
          prefix={`${t('wb.domestic')}：`}
          options={[any, { value: 'true', label: t('wb.software.domesticYes') }, { value: 'false', label: t('wb.software.domesticNo') }]}
        />
        <Select style={{ width: 210 }} value={model} onChange={setModel} prefix={`${t('wb.software.licenceModel')}：`} options={[any, ...Object.keys(LICENCE_MODEL_NAMES).map((v) => ({ value: v, label: nameOf(LICENCE_MODEL_NAMES, v, lang) }))]} />
      </Space>
      {installed.error && <Alert type="error" showIcon title={errorText(installed.error, t)} style={{ marginBottom: 12 }} />}
      <Table<InstalledRow>
        size="small"
        rowKey="productId"
        loading={installed.loading && !installed.data}
        dataSource={rows}
        locale={{ emptyText: <Empty description={t('wb.software.emptyRecognised')} /> }}
        pagination={{ pageSize: 50, hideOnSinglePage: true, showTotal: (n) => t('common.total', { n }) }}
        columns={[
          { title: t('wb.software.product'), render: (_, r) => r.product?.name ?? r.productId, sorter: (a, b) => (a.product?.name ?? a.productId).localeCompare(b.product?.name ?? b.productId, 'zh-CN') },
          { title: t('wb.software.vendor'), render: (_, r) => r.product?.vendor ?? '—' },
          { title: t('wb.software.category'), render: (_, r) => nameOf(CATEGORY_NAMES, r.product?.category, lang) },
          { title: t('wb.domestic'), align: 'center', render: (_, r) => (r.product?.domestic ? <Tag color="red">{t('wb.domestic')}</Tag> : null) },
          {
            title: t('wb.software.licenceModel'),
            render: (_, r) => <Tag color={r.product?.licenceModel === 'personal-use-only' ? 'orange' : r.product?.licenceModel === 'free' ? 'green' : 'default'}>{nameOf(LICENCE_MODEL_NAMES, r.product?.licenceModel, lang)}</Tag>,
          },
          ...(isBureau(user!.role) && !orgId ? [{ title: t('wb.software.units'), dataIndex: 'units', align: 'right' as const }] : []),
          {
            title: t('wb.software.installs'),
            dataIndex: 'machines',
            align: 'right',
            defaultSortOrder: 'descend',
            sorter: (a, b) => a.machines - b.machines,
            render: (n: number, r) => (
              <Button type="link" size="small" onClick={() => onOpen(r.productId)} data-testid={`installs-${r.productId}`}>
                {n}
              </Button>
            ),
          },
        ]}
      />
    </>
  );
}

/** One page of the unrecognised queue and how many entries match (GET /api/catalog/unrecognised). */
interface UnrecognisedPage {
  unrecognised: UnrecognisedEntry[];
  total: number;
}

/**
 * Software no rule recognises in scope (or the unit picked), most machines first, searched and
 * paged by the server; bureau admins turn an entry into a rule.
 */
function UnrecognisedTab({
  list,
  page,
  onPage,
  onSearch,
  search,
  canAddRule,
  onAddRule,
}: {
  list: { data: UnrecognisedPage | undefined; loading: boolean; error: unknown };
  page: { current: number; pageSize: number };
  onPage: (page: { current: number; pageSize: number }) => void;
  onSearch: (q: string | undefined) => void;
  /** The search in force (an empty list then says nothing matches, not that nothing is left). */
  search: string | undefined;
  canAddRule: boolean;
  onAddRule: (entry: UnrecognisedEntry) => void;
}) {
  const { t } = useI18n();
  return (
    <>
      <Typography.Paragraph type="secondary">{canAddRule ? t('wb.software.unrecognisedHelpAdmin') : t('wb.software.unrecognisedHelp')}</Typography.Paragraph>
      <div style={{ marginBottom: 12 }}>
        <ServerSearch value={search} onSearch={onSearch} placeholder={t('wb.software.searchUnrecognised')} width={280} testId="unrecognised-search" />
      </div>
      {Boolean(list.error) && <Alert type="error" showIcon title={errorText(list.error, t)} style={{ marginBottom: 12 }} />}
      <Table<UnrecognisedEntry>
        size="small"
        rowKey={(e) => `${e.nameKey}|${e.publisherKey}`}
        loading={list.loading && !list.data}
        dataSource={list.data?.unrecognised ?? []}
        locale={{ emptyText: <Empty description={search ? t('wb.software.noUnrecognisedMatch') : t('wb.software.emptyUnrecognised')} /> }}
        pagination={{
          current: page.current,
          pageSize: page.pageSize,
          total: list.data?.total ?? 0,
          hideOnSinglePage: true,
          showTotal: (n) => t('common.total', { n }),
          onChange: (current, pageSize) => onPage({ current, pageSize }),
        }}
        columns={[
          { title: t('machine.name'), dataIndex: 'name' },
          { title: t('machine.publisher'), dataIndex: 'publisher', render: (v: string | null) => v ?? '—' },
          { title: t('wb.software.installs'), dataIndex: 'machines', align: 'right' },
          ...(canAddRule
            ? [
                {
                  title: t('wb.actions'),
                  render: (_: unknown, entry: UnrecognisedEntry) => (
                    <Button size="small" icon={<PlusOutlined />} onClick={() => onAddRule(entry)}>
                      {t('wb.rule.add')}
                    </Button>
                  ),
                },
              ]
            : []),
        ]}
      />
    </>
  );
}

/** The rules bureau admins added (the built-in ones are in the server's catalog). */
function RulesTab({ productName, version }: { productName: (id: string) => string; version: number }) {
  const { t, lang } = useI18n();
  const rules = useApi(() => api<{ version: string; adminRules: AdminRule[] }>('GET', '/api/catalog/rules'), [version]);
  return (
    <>
      <Typography.Paragraph type="secondary">{t('wb.software.rulesHelp', { version: rules.data?.version ?? '…' })}</Typography.Paragraph>
      {rules.error && <Alert type="error" showIcon title={errorText(rules.error, t)} style={{ marginBottom: 12 }} />}
      <Table<AdminRule>
        size="small"
        rowKey="id"
        loading={rules.loading && !rules.data}
        dataSource={rules.data?.adminRules ?? []}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('wb.software.noRules')} /> }}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        columns={[
          { title: t('wb.rule.namePattern'), dataIndex: 'name', render: (v: string) => <Typography.Text code>{v}</Typography.Text> },
          { title: t('wb.rule.publisherPattern'), dataIndex: 'publisher', render: (v: string | null) => (v ? <Typography.Text code>{v}</Typography.Text> : '—') },
          { title: t('wb.software.product'), dataIndex: 'productId', render: (id: string | null) => (id ? productName(id) : <Tag>{t('wb.rule.modeIgnore')}</Tag>) },
          { title: t('ledger.note'), dataIndex: 'note', render: (v: string | null) => v ?? '—' },
          { title: t('wb.rule.addedAt'), dataIndex: 'createdAt', render: (v: string) => formatTime(v, lang) },
        ]}
      />
    </>
  );
}

/** 软件: recognised products (drill to machines), the unrecognised queue and the recognition rules. */
export function SoftwarePage() {
  const { user } = useAuth();
  const { t } = useI18n();
  const { message } = App.useApp();
  const [params, setParams] = useSearchParams();
  const bureau = isBureau(user!.role);
  const orgId = bureau ? (params.get('orgId') ?? undefined) : user!.org.id;
  const tab = params.get('tab') ?? 'recognised';
  const catalog = useCatalog();
  const [opened, setOpened] = useState<string | undefined>(undefined);
  const [ruleFor, setRuleFor] = useState<UnrecognisedEntry | undefined>(undefined);
  const [rulesVersion, setRulesVersion] = useState(0);
  const [unrecognisedQuery, setUnrecognisedQuery] = useState<{ q: string | undefined; page: { current: number; pageSize: number } }>({ q: undefined, page: { current: 1, pageSize: 50 } });
  const { q: unrecognisedSearch, page: unrecognisedPage } = unrecognisedQuery;
  // Another unit picked: its queue from the first page.
  useEffect(() => setUnrecognisedQuery((current) => ({ ...current, page: { ...current.page, current: 1 } })), [orgId]);
  const unrecognised = useApi(
    () =>
      api<UnrecognisedPage>(
        'GET',
        `/api/catalog/unrecognised${query({ orgId: bureau ? orgId : undefined, q: unrecognisedSearch, limit: unrecognisedPage.pageSize, offset: (unrecognisedPage.current - 1) * unrecognisedPage.pageSize })}`,
      ),
    [rulesVersion, orgId, unrecognisedSearch, unrecognisedPage.current, unrecognisedPage.pageSize],
  );
  useLiveReload(unrecognised.reload, (event) => event.type === 'install.added' || event.type === 'machine.enrolled');
  const [installedVersion, setInstalledVersion] = useState(0);
  const canAddRule = user!.role === 'bureau-admin';
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

  const ruleAdded = (result?: RuleResult) => {
    setRuleFor(undefined);
    if (!result) return;
    const positions = result.positionsChanged.reduce((n, p) => n + p.productIds.length, 0);
    message.success(t('wb.rule.applied', { positions, opened: result.findingsOpened, closed: result.findingsClosed }));
    catalog.reload();
    setRulesVersion((v) => v + 1);
    setInstalledVersion((v) => v + 1);
  };

  const queueSize = unrecognised.data?.total ?? 0;
  return (
    <Card title={t('menu.software')} data-testid="software-page" extra={bureau && <UnitPicker value={orgId} onChange={(id) => setParam('orgId', id)} />}>
      <Tabs
        activeKey={tab}
        onChange={(key) => setParam('tab', key === 'recognised' ? undefined : key)}
        items={[
          { key: 'recognised', label: t('wb.software.recognised'), children: <RecognisedTab key={installedVersion} orgId={orgId} onOpen={setOpened} /> },
          {
            key: 'unrecognised',
            label: (
              <span data-testid="tab-unrecognised">
                {t('wb.software.unrecognised')} <Badge count={queueSize} overflowCount={999} color={queueSize ? '#faad14' : '#d9d9d9'} showZero />
              </span>
            ),
            children: (
              <UnrecognisedTab
                list={unrecognised}
                page={unrecognisedPage}
                onPage={(page) => setUnrecognisedQuery((current) => ({ ...current, page }))}
                onSearch={(q) => setUnrecognisedQuery((current) => ({ q, page: { ...current.page, current: 1 } }))}
                search={unrecognisedSearch}
                canAddRule={canAddRule}
                onAddRule={setRuleFor}
              />
            ),
          },
          { key: 'rules', label: t('wb.software.rules'), children: <RulesTab productName={catalog.productName} version={rulesVersion} /> },
        ]}
      />
      <ProductMachinesDrawer product={opened ? catalog.byId.get(opened) : undefined} productId={opened} orgId={orgId} onClose={() => setOpened(undefined)} />
      <RuleModal entry={ruleFor} products={catalog.products} onClose={ruleAdded} />
    </Card>
  );
}
