import { Alert, App, Button, Form, Input, Modal, Select, Typography } from 'antd';
import { useState } from 'react';
import { api } from '../api.ts';
import { useAuth } from '../auth.tsx';
import { errorText } from '../errors.ts';
import { useI18n } from '../i18n.tsx';
import { nameOf, OS_FAMILY_NAMES } from '../labels.ts';
import { canWrite } from '../roles.ts';

/** What the form shows and edits (from GET /api/machines/:id). */
export interface EditableRecord {
  id: string;
  hostname: string;
  osFamily: string | null;
  serial: string | null;
  assetTag: string | null;
  department: string | null;
  note: string | null;
  /** A machine with an agent: name, OS and serial come from its reports and are not editable. */
  hasAgent: boolean;
}

type Values = { hostname?: string; osFamily?: string; serial?: string; assetTag?: string; department?: string; note?: string };

/**
 * 修改登记信息: admins correct a machine's record (PATCH /api/machines/:id). Every machine's asset
 * tag, department and note; a machine without an agent's name, OS family and serial too. Only the
 * fields that differ are sent; the server's refusal (a duplicate asset tag, say) is shown in the form.
 */
export function MachineRecordEdit({ record, onChanged }: { record: EditableRecord; onChanged: () => void }) {
  const { t, lang } = useI18n();
  const { user } = useAuth();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);
  if (!user || !canWrite(user.role)) return null;

  const initial: Values = {
    hostname: record.hostname,
    osFamily: record.osFamily ?? '',
    serial: record.serial ?? '',
    assetTag: record.assetTag ?? '',
    department: record.department ?? '',
    note: record.note ?? '',
  };
  const submit = async (values: Values) => {
    const fields = (record.hasAgent ? ['assetTag', 'department', 'note'] : ['hostname', 'osFamily', 'serial', 'assetTag', 'department', 'note']) as Array<keyof Values>;
    const changes = Object.fromEntries(fields.filter((f) => (values[f] ?? '') !== (initial[f] ?? '')).map((f) => [f, f === 'osFamily' ? values[f] || null : (values[f] ?? '')]));
    if (Object.keys(changes).length === 0) {
      setOpen(false);
      message.info(t('medit.unchanged'));
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      await api('PATCH', `/api/machines/${record.id}`, changes);
      setOpen(false);
      message.success(t('medit.saved'));
      onChanged();
    } catch (caught) {
      setError(errorText(caught, t));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <Button onClick={() => setOpen(true)} data-testid="machine-edit-open">
        {t('medit.open')}
      </Button>
      <Modal
        title={t('medit.title', { name: record.hostname })}
        open={open}
        onCancel={() => {
          setOpen(false);
          setError(undefined);
        }}
        onOk={() => form.submit()}
        okText={t('medit.save')}
        okButtonProps={{ id: 'machine-edit-save' }}
        cancelText={t('mreg.cancel')}
        confirmLoading={busy}
        destroyOnHidden
        data-testid="machine-edit"
      >
        <Typography.Paragraph type="secondary">{t('medit.hint')}</Typography.Paragraph>
        {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} data-testid="machine-edit-error" />}
        <Form form={form} layout="vertical" initialValues={initial} onFinish={(values) => void submit(values)}>
          {!record.hasAgent && (
            <>
              <Form.Item name="hostname" label={t('mreg.hostname')} rules={[{ required: true, whitespace: true, message: t('mreg.hostnameRequired') }, { max: 255 }]}>
                <Input maxLength={255} data-testid="machine-edit-hostname" />
              </Form.Item>
              <Form.Item name="osFamily" label={t('mreg.os')}>
                <Select options={[{ value: '', label: t('mreg.osUnknown') }, ...Object.keys(OS_FAMILY_NAMES).map((v) => ({ value: v, label: nameOf(OS_FAMILY_NAMES, v, lang) }))]} />
              </Form.Item>
              <Form.Item name="serial" label={t('mreg.serial')} extra={t('mreg.serialHint')}>
                <Input maxLength={128} />
              </Form.Item>
            </>
          )}
          <Form.Item name="assetTag" label={t('mreg.assetTag')}>
            <Input maxLength={64} data-testid="machine-edit-asset-tag" />
          </Form.Item>
          <Form.Item name="department" label={t('mreg.department')}>
            <Input maxLength={128} data-testid="machine-edit-department" />
          </Form.Item>
          <Form.Item name="note" label={t('mreg.note')}>
            <Input.TextArea rows={2} maxLength={500} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
