import { Alert, Form, Input, Modal, Select, Typography } from 'antd';
import { useState } from 'react';
import { api } from '../api.ts';
import { errorText } from '../errors.ts';
import { useI18n } from '../i18n.tsx';
import { nameOf, OS_FAMILY_NAMES } from '../labels.ts';
import { UnitPicker } from './unit-picker.tsx';

interface Values {
  orgId?: string;
  hostname: string;
  osFamily?: string;
  assetTag?: string;
  serial?: string;
  department?: string;
  note?: string;
}

/**
 * 登记无代理计算机: one PC that cannot run the agent, registered in a unit (bureau roles pick the
 * unit; a unit admin registers in its own). The server checks every field and refuses an asset tag
 * or serial the unit already has; its sentence is shown in the form.
 */
export function RegisterMachineModal({ open, ownUnitId, onClose }: { open: boolean; ownUnitId: string | undefined; onClose: (registered: string | undefined) => void }) {
  const { t, lang } = useI18n();
  const [form] = Form.useForm<Values>();
  const [error, setError] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);

  const close = (registered: string | undefined) => {
    form.resetFields();
    setError(undefined);
    onClose(registered);
  };
  const submit = async (values: Values) => {
    setBusy(true);
    setError(undefined);
    try {
      const { orgId, osFamily, ...rest } = values;
      await api('POST', '/api/machines/register', { ...rest, orgId: ownUnitId ?? orgId, osFamily: osFamily || null });
      close(values.hostname);
    } catch (caught) {
      setError(errorText(caught, t));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      title={t('mreg.title')}
      open={open}
      onCancel={() => close(undefined)}
      onOk={() => form.submit()}
      okText={t('mreg.save')}
      cancelText={t('mreg.cancel')}
      confirmLoading={busy}
      destroyOnHidden
      data-testid="machine-register"
    >
      <Typography.Paragraph type="secondary">{t('mreg.hint')}</Typography.Paragraph>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Form form={form} layout="vertical" onFinish={(values) => void submit(values)}>
        {!ownUnitId && (
          <Form.Item name="orgId" label={t('mreg.unit')} rules={[{ required: true, message: t('mreg.unitRequired') }]}>
            <UnitPicker value={undefined} onChange={() => undefined} width={360} />
          </Form.Item>
        )}
        <Form.Item name="hostname" label={t('mreg.hostname')} rules={[{ required: true, whitespace: true, message: t('mreg.hostnameRequired') }, { max: 255 }]}>
          <Input maxLength={255} data-testid="machine-register-hostname" />
        </Form.Item>
        <Form.Item name="osFamily" label={t('mreg.os')} initialValue="">
          <Select
            data-testid="machine-register-os"
            options={[{ value: '', label: t('mreg.osUnknown') }, ...Object.keys(OS_FAMILY_NAMES).map((v) => ({ value: v, label: nameOf(OS_FAMILY_NAMES, v, lang) }))]}
          />
        </Form.Item>
        <Form.Item name="assetTag" label={t('mreg.assetTag')}>
          <Input maxLength={64} />
        </Form.Item>
        <Form.Item name="serial" label={t('mreg.serial')} extra={t('mreg.serialHint')}>
          <Input maxLength={128} />
        </Form.Item>
        <Form.Item name="department" label={t('mreg.department')}>
          <Input maxLength={128} />
        </Form.Item>
        <Form.Item name="note" label={t('mreg.note')}>
          <Input.TextArea rows={2} maxLength={500} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
