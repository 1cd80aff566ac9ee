import { Alert, Form, Input, Modal, Radio, Select, Space, Switch, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { api, ApiError } from '../api.ts';
import { CATEGORY_NAMES, LICENCE_MODEL_NAMES, type CatalogProduct } from '../catalog.ts';
import { errorText } from '../errors.ts';
import { useI18n } from '../i18n.tsx';
import { nameOf } from '../labels.ts';

/** An entry of the unrecognised queue (GET /api/catalog/unrecognised). */
export interface UnrecognisedEntry {
  nameKey: string;
  publisherKey: string;
  name: string;
  publisher: string | null;
  machines: number;
}

/** What POST /api/catalog/rules answers. */
export interface RuleResult {
  ruleId: number;
  version: string;
  positionsChanged: Array<{ orgId: string; productIds: string[] }>;
  findingsOpened: number;
  findingsClosed: number;
}

type Mode = 'existing' | 'new' | 'ignore';

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** "Acme Billing 3.1 (x64)" -> "Acme Billing": the name without its version and bitness, for a rule that survives upgrades. */
export function stemOf(name: string): string {
  const stem = name
    .replace(/\((x64|x86|64-?bit|32-?bit|64-位|32-位)\)/giu, '')
    .replace(/\s+v?\d+([.\d]*)\b.*$/u, '')
    .trim();
  return stem || name.trim();
}

/** A catalog id proposed from a product name: lower-case ASCII words joined by dashes (empty for a Chinese-only name). */
export function slugOf(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9.]+/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '')
    .slice(0, 64);
}

/** Whether a pattern is a valid regular expression that matches `text` (the server matches case-insensitively). */
function patternMatches(pattern: string, text: string | null): boolean | undefined {
  try {
    return new RegExp(pattern, 'iu').test(text ?? '');
  } catch {
    return undefined;
  }
}

/**
 * Adds a recognition rule from an unrecognised entry (bureau admins): the pattern is proposed from
 * the entry's name (version left out so upgrades stay recognised), the product is an existing
 * one, a new one, or none (the entry is part of something else and leaves the queue). The server
 * applies the rule to existing data at once.
 */
export function RuleModal({ entry, products, onClose }: { entry: UnrecognisedEntry | undefined; products: CatalogProduct[]; onClose: (result?: RuleResult) => void }) {
  const { t, lang } = useI18n();
  const [form] = Form.useForm();
  const [problem, setProblem] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const mode = Form.useWatch<Mode>('mode', form) ?? 'new';
  const namePattern = Form.useWatch<string>('name', form) ?? '';
  const publisherPattern = Form.useWatch<string>('publisher', form) ?? '';

  useEffect(() => {
    if (!entry) return;
    const stem = stemOf(entry.name);
    setProblem(undefined);
    form.setFieldsValue({
      mode: 'new',
      name: `^${escapeRegExp(stem)}`,
      publisher: entry.publisher ? `^${escapeRegExp(entry.publisher)}$` : '',
      productId: undefined,
      newId: slugOf(stem),
      newVendor: entry.publisher ?? '',
      newName: stem,
      newCategory: 'other',
      newDomestic: false,
      newLicenceModel: 'per-device',
      note: '',
    });
  }, [entry, form]);

  const nameCheck = entry ? patternMatches(namePattern, entry.name) : undefined;
  const publisherCheck = entry && publisherPattern ? patternMatches(publisherPattern, entry.publisher) : true;
  const productOptions = useMemo(() => products.map((p) => ({ value: p.id, label: `${p.vendor} ${p.name}` })), [products]);

  const submit = async (values: Record<string, unknown>) => {
    const text = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : undefined);
    const body: Record<string, unknown> = { name: values.name, publisher: text(values.publisher), note: text(values.note) };
    if (values.mode === 'existing') body.product = values.productId;
    else if (values.mode === 'ignore') body.product = null;
    else {
      body.product = values.newId;
      body.newProduct = {
        id: values.newId,
        vendor: values.newVendor,
        name: values.newName,
        category: values.newCategory,
        domestic: Boolean(values.newDomestic),
        licenceModel: values.newLicenceModel,
      };
    }
    setBusy(true);
    try {
      const result = await api<RuleResult>('POST', '/api/catalog/rules', body);
      onClose(result);
    } catch (error) {
      setProblem(error instanceof ApiError && error.code === 'catalog.rule-invalid' ? t('err.catalog.rule-invalid', { message: error.message }) : errorText(error, t));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal title={t('wb.rule.title')} open={Boolean(entry)} onCancel={() => onClose()} onOk={() => form.submit()} okText={t('wb.rule.save')} confirmLoading={busy} width={680} destroyOnHidden data-testid="rule-modal">
      {entry && (
        <Typography.Paragraph>
          {t('wb.rule.entry')}
          <Typography.Text strong>{entry.name}</Typography.Text>
          {entry.publisher ? ` · ${entry.publisher}` : ''} · {t('wb.software.onMachines', { n: entry.machines })}
        </Typography.Paragraph>
      )}
      {problem && <Alert type="error" showIcon title={problem} style={{ marginBottom: 12 }} />}
      <Form form={form} layout="vertical" onFinish={submit}>
        <Form.Item
          name="name"
          label={t('wb.rule.namePattern')}
          rules={[{ required: true, message: t('wb.rule.patternRequired') }]}
          extra={nameCheck === undefined ? t('wb.rule.patternInvalid') : nameCheck ? t('wb.rule.matches') : t('wb.rule.noMatch')}
          validateStatus={nameCheck === undefined ? 'error' : nameCheck ? 'success' : 'warning'}
        >
          <Input />
        </Form.Item>
        <Form.Item name="publisher" label={t('wb.rule.publisherPattern')} extra={publisherCheck === undefined ? t('wb.rule.patternInvalid') : publisherCheck ? undefined : t('wb.rule.noMatch')} validateStatus={publisherCheck === undefined ? 'error' : publisherCheck ? undefined : 'warning'}>
          <Input placeholder={t('wb.rule.optional')} />
        </Form.Item>
        <Form.Item name="mode" label={t('wb.rule.mode')}>
          <Radio.Group
            optionType="button"
            options={[
              { value: 'new', label: t('wb.rule.modeNew') },
              { value: 'existing', label: t('wb.rule.modeExisting') },
              { value: 'ignore', label: t('wb.rule.modeIgnore') },
            ]}
          />
        </Form.Item>
        {mode === 'existing' && (
          <Form.Item name="productId" label={t('ledger.product')} rules={[{ required: true, message: t('wb.rule.pickProduct') }]}>
            <Select showSearch optionFilterProp="label" options={productOptions} />
          </Form.Item>
        )}
        {mode === 'new' && (
          <>
            <Space size="middle" style={{ display: 'flex' }} align="start">
              <Form.Item name="newName" label={t('wb.software.product')} rules={[{ required: true }]} style={{ width: 260 }}>
                <Input />
              </Form.Item>
              <Form.Item name="newVendor" label={t('wb.software.vendor')} rules={[{ required: true }]} style={{ width: 340 }}>
                <Input />
              </Form.Item>
            </Space>
            <Space size="middle" style={{ display: 'flex' }} align="start">
              <Form.Item
                name="newId"
                label={t('wb.rule.productId')}
                tooltip={t('wb.rule.productIdHelp')}
                rules={[
                  { required: true, message: t('wb.rule.productIdHelp') },
                  { pattern: /^[a-z0-9][a-z0-9.-]{0,63}$/, message: t('wb.rule.productIdHelp') },
                  { validator: async (_, value: string) => (products.some((p) => p.id === value) ? Promise.reject(new Error(t('wb.rule.productIdTaken'))) : undefined) },
                ]}
                style={{ width: 200 }}
              >
                <Input />
              </Form.Item>
              <Form.Item name="newCategory" label={t('wb.software.category')} style={{ width: 130 }}>
                <Select options={Object.keys(CATEGORY_NAMES).map((v) => ({ value: v, label: nameOf(CATEGORY_NAMES, v, lang) }))} />
              </Form.Item>
              <Form.Item name="newLicenceModel" label={t('wb.software.licenceModel')} style={{ width: 150 }}>
                <Select options={Object.keys(LICENCE_MODEL_NAMES).map((v) => ({ value: v, label: nameOf(LICENCE_MODEL_NAMES, v, lang) }))} />
              </Form.Item>
              <Form.Item name="newDomestic" label={t('wb.domestic')} valuePropName="checked">
                <Switch />
              </Form.Item>
            </Space>
          </>
        )}
        <Form.Item name="note" label={t('ledger.note')} rules={[{ required: mode === 'ignore', message: t('wb.rule.noteRequired') }]} extra={mode === 'ignore' ? t('wb.rule.ignoreHelp') : undefined}>
          <Input maxLength={500} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
