import { Alert, App, Button, Card, Descriptions, Form, Input, Modal, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { api } from '../api.ts';
import { useAuth } from '../auth.tsx';
import { errorText } from '../errors.ts';
import { formatTime } from '../format.ts';
import { useI18n } from '../i18n.tsx';
import { canWrite } from '../roles.ts';
import { MachineRecordEdit } from './machine-record-edit.tsx';

/** One retirement period (GET /api/machines/:id `retirements`, newest first). */
export interface Retirement {
  id: string;
  retiredAt: string;
  retiredBy: string | null;
  reason: string;
  restoredAt: string | null;
  restoredBy: string | null;
  restoreReason: string | null;
}

/** What the machine detail says about a machine's registration and retirement. */
export interface MachineRecord {
  id: string;
  hostname: string;
  retiredAt: string | null;
  retirements: Retirement[];
  registration: { registeredBy: string | null; assetTag: string | null; department: string | null; note: string | null };
  agents: unknown[];
  os: { family: string | null };
  hardware: { serial: string | null };
}

/** 在用 / 已报废 as a tag, for the machine's title. */
export function RetiredTag({ machine }: { machine: Pick<MachineRecord, 'retiredAt'> }) {
  const { t } = useI18n();
  return machine.retiredAt ? <Tag color="default" data-testid="machine-retired-tag">{t('mret.retired')}</Tag> : null;
}

/**
 * The machine's registration (asset tag, department, note, who registered it) and its retirement:
 * status, history, and for admins the record's edit (修改登记信息) and the retire / restore action
 * with a reason (报废/停用, 恢复使用).
 */
export function MachineRetirementCard({ machine, onChanged }: { machine: MachineRecord; onChanged: () => void }) {
  const { t, lang } = useI18n();
  const { user } = useAuth();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ reason: string }>();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);
  const retired = Boolean(machine.retiredAt);
  const current = retired ? machine.retirements[0] : undefined;
  const r = machine.registration;

  const submit = async ({ reason }: { reason: string }) => {
    setBusy(true);
    setError(undefined);
    try {
      await api('POST', `/api/machines/${machine.id}/${retired ? 'restore' : 'retire'}`, { reason });
      setOpen(false);
      form.resetFields();
      message.success(t('mret.done'));
      onChanged();
    } catch (caught) {
      setError(errorText(caught, t));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card
      size="small"
      title={t('mret.status')}
      data-testid="machine-retirement"
      extra={
        user && canWrite(user.role) ? (
          <Space>
            <MachineRecordEdit
              record={{ id: machine.id, hostname: machine.hostname, osFamily: machine.os.family, serial: machine.hardware.serial, ...r, hasAgent: machine.agents.length > 0 }}
              onChanged={onChanged}
            />
            <Button danger={!retired} onClick={() => setOpen(true)} data-testid="machine-retire-open">
              {retired ? t('mret.restore') : t('mret.retire')}
            </Button>
          </Space>
        ) : null
      }
    >
      {retired && current ? (
        <Alert type="warning" showIcon title={t('mret.since', { time: formatTime(current.retiredAt, lang), user: current.retiredBy ?? '—', reason: current.reason })} style={{ marginBottom: 12 }} />
      ) : (
        <Typography.Paragraph>
          <Tag color="green">{t('mret.inUse')}</Tag>
        </Typography.Paragraph>
      )}
      {(r.registeredBy || r.assetTag || r.department || r.note) && (
        <Descriptions size="small" column={3} bordered title={t('mret.registration')} style={{ marginBottom: 12 }}>
          <Descriptions.Item label={t('mret.registeredBy')}>{r.registeredBy ? `${r.registeredBy}${machine.agents.length === 0 ? ` · ${t('mret.agentless')}` : ''}` : '—'}</Descriptions.Item>
          <Descriptions.Item label={t('mreg.assetTag')}>{r.assetTag ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('mreg.department')}>{r.department ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('mreg.note')} span={3}>
            {r.note ?? '—'}
          </Descriptions.Item>
        </Descriptions>
      )}
      {machine.retirements.length > 0 && (
        <Table<Retirement>
          size="small"
          rowKey="id"
          pagination={false}
          title={() => t('mret.history')}
          dataSource={machine.retirements}
          data-testid="machine-retirement-history"
          columns={[
            { title: t('mret.retiredAt'), dataIndex: 'retiredAt', render: (v: string) => formatTime(v, lang) },
            { title: t('mret.retiredBy'), dataIndex: 'retiredBy', render: (v: string | null) => v ?? '—' },
            { title: t('mret.reason'), dataIndex: 'reason' },
            { title: t('mret.restoredAt'), dataIndex: 'restoredAt', render: (v: string | null) => (v ? formatTime(v, lang) : '—') },
            { title: t('mret.restoreReason'), render: (_, row) => (row.restoreReason ? `${row.restoreReason}（${row.restoredBy ?? '—'}）` : '—') },
          ]}
        />
      )}
      <Modal
        title={t(retired ? 'mret.restoreTitle' : 'mret.retireTitle', { name: machine.hostname })}
        open={open}
        onCancel={() => {
          setOpen(false);
          setError(undefined);
        }}
        onOk={() => form.submit()}
        okText={t(retired ? 'mret.confirmRestore' : 'mret.confirmRetire')}
        okButtonProps={{ danger: !retired, id: 'machine-retire-confirm' }}
        cancelText={t('mreg.cancel')}
        confirmLoading={busy}
        destroyOnHidden
      >
        <Typography.Paragraph type="secondary">{t(retired ? 'mret.restoreHint' : 'mret.retireHint')}</Typography.Paragraph>
        {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
        <Form form={form} layout="vertical" onFinish={(values) => void submit(values)}>
          <Form.Item name="reason" label={t('mret.reason')} rules={[{ required: true, whitespace: true, message: t('mret.reasonRequired') }, { max: 500 }]}>
            <Input.TextArea rows={3} maxLength={500} data-testid="machine-retire-reason" />
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}
