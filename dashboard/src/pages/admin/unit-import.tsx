import { DownloadOutlined, UploadOutlined } from '@ant-design/icons';
import { Alert, Button, Modal, Space, Statistic, Table, Tag, Typography, Upload } from 'antd';
import { useState } from 'react';
import { api } from '../../api.ts';
import { errorText } from '../../errors.ts';
import { downloadCsvTemplate, readBase64 } from '../../file-import.ts';
import { useI18n } from '../../i18n.tsx';
import { ImportProblems } from '../../components/import-problems.tsx';
import type { ImportPlan, OrgView } from './admin-types.ts';

/** The headings the server reads (server/src/orgs/import/unit-rows.ts), for the template. */
const TEMPLATE = '单位名称,统一社会信用代码,行业,所属地区,主要负责人,联络员,联系电话,计算机台数\r\n';

/** Offers the CSV template. */
const downloadTemplate = () => downloadCsvTemplate('单位名单模板.csv', TEMPLATE);

/**
 * 导入单位名单: choose an XLSX or CSV file, see what each row would do and every problem by row
 * and column, then import all rows or none.
 */
export function UnitImport({ parent, onClose }: { parent: OrgView | undefined; onClose: (imported: boolean) => void }) {
  const { t, lang } = useI18n();
  const [file, setFile] = useState<{ name: string; format: 'csv' | 'xlsx'; content: string } | undefined>(undefined);
  const [plan, setPlan] = useState<ImportPlan | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);

  const close = (imported: boolean) => {
    setFile(undefined);
    setPlan(undefined);
    setError(undefined);
    onClose(imported);
  };

  const choose = async (chosen: File) => {
    const format = /\.xlsx$/i.test(chosen.name) ? 'xlsx' : /\.csv$/i.test(chosen.name) ? 'csv' : undefined;
    setPlan(undefined);
    if (!format) {
      setError(t('adm.import.wrongType'));
      return false;
    }
    setBusy(true);
    setError(undefined);
    try {
      const picked = { name: chosen.name, format, content: await readBase64(chosen) } as const;
      setFile(picked);
      setPlan(await api<ImportPlan>('POST', `/api/orgs/${parent!.id}/units/import/preview`, { format: picked.format, content: picked.content }));
    } catch (caught) {
      setError(errorText(caught, t));
    } finally {
      setBusy(false);
    }
    return false;
  };

  const commit = async () => {
    if (!file || !parent) return;
    setBusy(true);
    try {
      await api('POST', `/api/orgs/${parent.id}/units/import`, { format: file.format, content: file.content });
      close(true);
    } catch (caught) {
      setError(errorText(caught, t));
    } finally {
      setBusy(false);
    }
  };

  const canImport = Boolean(plan && plan.problems.length === 0 && plan.rows.length > 0);
  return (
    <Modal
      title={t('adm.import.title', { name: parent?.name ?? '' })}
      open={Boolean(parent)}
      width={900}
      onCancel={() => close(false)}
      destroyOnHidden
      footer={[
        <Button key="cancel" onClick={() => close(false)}>
          {t('adm.cancel')}
        </Button>,
        <Button key="import" type="primary" disabled={!canImport} loading={busy} onClick={() => void commit()} data-testid="import-commit">
          {plan ? t('adm.import.commit', { n: plan.rows.length }) : t('adm.import.commitNone')}
        </Button>,
      ]}
    >
      <Typography.Paragraph type="secondary">{t('adm.import.hint')}</Typography.Paragraph>
      <Space style={{ display: 'flex', marginBottom: 12 }}>
        <Upload accept=".xlsx,.csv" showUploadList={false} beforeUpload={(f) => choose(f)} maxCount={1}>
          <Button icon={<UploadOutlined />} loading={busy} data-testid="import-choose">
            {file ? t('adm.import.chooseAnother') : t('adm.import.choose')}
          </Button>
        </Upload>
        <Button icon={<DownloadOutlined />} type="link" onClick={downloadTemplate}>
          {t('adm.import.template')}
        </Button>
        {file && <Typography.Text>{file.name}</Typography.Text>}
      </Space>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      {plan && (
        <>
          <div style={{ display: 'flex', gap: 40, marginBottom: 12 }} data-testid="import-summary">
            <Statistic title={t('adm.import.rows')} value={plan.summary.rows} />
            <Statistic title={t('adm.import.create')} value={plan.summary.create} />
            <Statistic title={t('adm.import.update')} value={plan.summary.update} />
            <Statistic title={t('adm.import.problems')} value={plan.summary.problems} styles={{ content: { color: plan.problems.length ? '#cf1322' : undefined } }} />
          </div>
          <ImportProblems problems={plan.problems} keys={{ fixFirst: 'adm.import.fixFirst', row: 'adm.import.row', column: 'adm.import.column', problem: 'adm.import.problem' }} testId="import-problems" />
          {plan.rows.length > 0 && (
            <Table
              size="small"
              rowKey="row"
              dataSource={plan.rows}
              pagination={{ pageSize: 8, hideOnSinglePage: true }}
              style={{ marginTop: 12 }}
              data-testid="import-rows"
              columns={[
                { title: t('adm.import.row'), dataIndex: 'row', width: 70 },
                { title: t('adm.import.action'), dataIndex: 'action', width: 90, render: (a: string) => <Tag color={a === 'create' ? 'green' : 'blue'}>{t(`adm.import.${a}`)}</Tag> },
                { title: t('adm.org.name'), render: (_, r) => r.unit.name },
                { title: t('adm.org.creditCode'), render: (_, r) => <span style={{ fontFamily: 'monospace' }}>{r.unit.creditCode}</span> },
                { title: t('adm.org.sector'), render: (_, r) => r.unit.sector },
                { title: t('adm.org.region'), render: (_, r) => r.unit.region ?? '—' },
                { title: t('adm.org.expectedShort'), render: (_, r) => r.unit.expectedMachines ?? '—' },
              ]}
            />
          )}
        </>
      )}
    </Modal>
  );
}
