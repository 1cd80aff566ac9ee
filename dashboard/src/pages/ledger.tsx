import { PlusOutlined, UploadOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, DatePicker, Empty, Form, Input, InputNumber, Modal, Select, Space, Table, Upload } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { api, ApiError, query } from '../api.ts';
import { useAuth } from '../auth.tsx';
import { useI18n } from '../i18n.tsx';
import { LICENCE_TYPE_NAMES, nameOf } from '../labels.ts';
import { canWrite, isBureau } from '../roles.ts';
import type { Licence, RateRow } from '../types.ts';
import { useApi } from '../use-api.ts';

interface Product {
  id: string;
  name: string;
  vendor: string;
  licenceModel: string;
}

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The API's problems (`{ field?, row?, message }`) as lines a clerk can act on. */
function problemLines(error: unknown): string[] {
  if (!(error instanceof ApiError)) return [String(error)];
  const problems = (error.body as { problems?: Array<{ row?: number; field?: string; message: string }> } | undefined)?.problems;
  if (!problems?.length) return [error.message];
  return problems.map((p) => [p.row ? `#${p.row}` : '', p.field, p.message].filter(Boolean).join(' · '));
}

/** The add-a-licence form in a modal. */
function AddLicence({ orgId, products, open, onClose }: { orgId: string; products: Product[]; open: boolean; onClose: (saved: boolean) => void }) {
  const { t, lang } = useI18n();
  const [form] = Form.useForm();
  const [problems, setProblems] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const submit = async (values: Record<string, unknown>) => {
    const day = (v: unknown) => (v ? (v as Dayjs).format('YYYY-MM-DD') : null);
    const body = {
      orgId,
      product: values.product,
      type: values.type,
      quantity: values.quantity,
      licenceCount: values.licenceCount ?? null,
      startsOn: day(values.startsOn),
      endsOn: day(values.endsOn),
      purchasedOn: day(values.purchasedOn),
      contractNo: values.contractNo || null,
      supplier: values.supplier || null,
      note: values.note || null,
    };
    setBusy(true);
    try {
      await api('POST', '/api/licences', body);
      setProblems([]);
      form.resetFields();
      onClose(true);
    } catch (error) {
      setProblems(problemLines(error));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal title={t('ledger.add')} open={open} onCancel={() => onClose(false)} onOk={() => form.submit()} okText={t('ledger.save')} confirmLoading={busy} width={640} destroyOnHidden>
      {problems.length > 0 && <Alert type="error" showIcon title={problems.join('；')} style={{ marginBottom: 12 }} />}
      <Form form={form} layout="vertical" onFinish={submit} initialValues={{ type: 'perpetual-device', quantity: 1 }}>
        <Form.Item name="product" label={t('ledger.product')} rules={[{ required: true }]}>
          <Select
            showSearch
            optionFilterProp="label"
            options={products.filter((p) => p.licenceModel !== 'free' && p.licenceModel !== 'personal-use-only').map((p) => ({ value: p.id, label: `${p.vendor} ${p.name}` }))}
          />
        </Form.Item>
        <Space size="middle" style={{ display: 'flex' }}>
          <Form.Item name="type" label={t('ledger.type')} rules={[{ required: true }]} style={{ width: 220 }}>
            <Select options={Object.keys(LICENCE_TYPE_NAMES).map((v) => ({ value: v, label: nameOf(LICENCE_TYPE_NAMES, v, lang) }))} />
          </Form.Item>
          <Form.Item name="quantity" label={t('ledger.quantity')} rules={[{ required: true }]}>
            <InputNumber min={1} />
          </Form.Item>
          <Form.Item name="licenceCount" label={t('ledger.licenceCount')}>
            <InputNumber min={1} />
          </Form.Item>
        </Space>
        <Space size="middle" style={{ display: 'flex' }}>
          <Form.Item name="purchasedOn" label={t('ledger.purchasedOn')}>
            <DatePicker />
          </Form.Item>
          <Form.Item name="startsOn" label={t('ledger.startsOn')}>
            <DatePicker />
          </Form.Item>
          <Form.Item name="endsOn" label={t('ledger.endsOn')}>
            <DatePicker />
          </Form.Item>
        </Space>
        <Space size="middle" style={{ display: 'flex' }}>
          <Form.Item name="contractNo" label={t('ledger.contractNo')}>
            <Input />
          </Form.Item>
          <Form.Item name="supplier" label={t('ledger.supplier')}>
            <Input />
          </Form.Item>
        </Space>
        <Form.Item name="note" label={t('ledger.note')}>
          <Input.TextArea rows={2} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** 授权台账: the unit's licences; admins add a row or import the ledger spreadsheet. */
export function LedgerPage() {
  const { user } = useAuth();
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const [page, setPage] = useState({ current: 1, pageSize: 20 });
  const [adding, setAdding] = useState(false);
  const [importProblems, setImportProblems] = useState<string[]>([]);
  const bureau = isBureau(user!.role);
  const units = useApi(() => (bureau ? api<{ rows: RateRow[] }>('GET', '/api/compliance/rates?by=unit') : Promise.resolve({ rows: [] })), [bureau]);
  const [pickedUnit, setPickedUnit] = useState<string | undefined>(undefined);
  const orgId = bureau ? pickedUnit : user!.org.id;
  const products = useApi(() => api<{ products: Product[] }>('GET', '/api/catalog/products'), []);
  const list = useApi(
    () => api<{ licences: Licence[]; total: number }>('GET', `/api/licences${query({ orgId, limit: page.pageSize, offset: (page.current - 1) * page.pageSize })}`),
    [orgId, page.current, page.pageSize],
  );
  const productName = (id: string) => products.data?.products.find((p) => p.id === id)?.name ?? id;
  const unitName = (id: string) => (bureau ? units.data?.rows.find((r) => r.key === id)?.label : user!.org.name) ?? id;

  const importFile = async (file: File) => {
    if (!orgId) return;
    try {
      const result = await api<{ imported: number }>('POST', `/api/licences/import${query({ orgId })}`, file, XLSX_TYPE);
      setImportProblems([]);
      message.success(t('ledger.imported', { n: result.imported }));
      list.reload();
    } catch (error) {
      setImportProblems(problemLines(error));
    }
  };

  const writable = canWrite(user!.role) && Boolean(orgId);
  return (
    <Card
      title={t('menu.ledger')}
      data-testid="ledger-page"
      extra={
        <Space>
          {bureau && (
            <Select allowClear placeholder={t('ledger.pickUnit')} style={{ width: 220 }} value={pickedUnit} onChange={setPickedUnit} options={(units.data?.rows ?? []).map((r) => ({ value: r.key, label: r.label }))} />
          )}
          {canWrite(user!.role) && (
            <>
              <Button type="primary" icon={<PlusOutlined />} disabled={!writable} onClick={() => setAdding(true)}>
                {t('ledger.add')}
              </Button>
              <Upload accept=".xlsx" showUploadList={false} disabled={!writable} beforeUpload={(file) => (void importFile(file), false)}>
                <Button icon={<UploadOutlined />} disabled={!writable}>
                  {t('ledger.import')}
                </Button>
              </Upload>
            </>
          )}
        </Space>
      }
    >
      {importProblems.length > 0 && <Alert type="error" showIcon closable title={importProblems.slice(0, 10).join('；')} style={{ marginBottom: 12 }} onClose={() => setImportProblems([])} />}
      {list.error && <Alert type="error" showIcon title={t('common.error', { message: list.error.message })} style={{ marginBottom: 12 }} />}
      <Table<Licence>
        size="small"
        rowKey="id"
        loading={list.loading && !list.data}
        dataSource={list.data?.licences ?? []}
        locale={{ emptyText: <Empty description={t('ledger.empty')} /> }}
        pagination={{ current: page.current, pageSize: page.pageSize, total: list.data?.total ?? 0, showTotal: (n) => t('common.total', { n }), onChange: (current, pageSize) => setPage({ current, pageSize }) }}
        columns={[
          ...(bureau ? [{ title: t('ledger.unit'), dataIndex: 'orgId', render: unitName }] : []),
          { title: t('ledger.product'), dataIndex: 'productId', render: productName },
          { title: t('ledger.type'), dataIndex: 'type', render: (v: string) => nameOf(LICENCE_TYPE_NAMES, v, lang) },
          { title: t('ledger.quantity'), dataIndex: 'quantity', align: 'right' },
          { title: t('ledger.purchasedOn'), dataIndex: 'purchasedOn' },
          { title: t('ledger.endsOn'), dataIndex: 'endsOn' },
          { title: t('ledger.contractNo'), dataIndex: 'contractNo' },
          { title: t('ledger.supplier'), dataIndex: 'supplier' },
        ]}
      />
      {orgId && (
        <AddLicence
          orgId={orgId}
          products={products.data?.products ?? []}
          open={adding}
          onClose={(saved) => {
            setAdding(false);
            if (saved) {
              message.success(t('ledger.saved'));
              list.reload();
            }
          }}
        />
      )}
    </Card>
  );
}
