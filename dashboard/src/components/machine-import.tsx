import { DownloadOutlined, UploadOutlined } from '@ant-design/icons';
import { Alert, Button, Modal, Space, Statistic, Table, Typography, Upload } from 'antd';
import { useState } from 'react';
import { api } from '../api.ts';
import { errorText } from '../errors.ts';
import { downloadCsvTemplate, readBase64 } from '../file-import.ts';
import { useI18n } from '../i18n.tsx';
import { nameOf, OS_FAMILY_NAMES } from '../labels.ts';
import { ImportProblems, type ImportProblem } from './import-problems.tsx';
import { UnitPicker } from './unit-picker.tsx';

/** The headings the server reads (server/src/machines/import/machine-rows.ts), for the template. */
const TEMPLATE = '计算机名称,操作系统,资产编号,序列号,使用部门,备注\r\n';


interface PlannedMachine {
  row: number;
  orgId: string;
  unitName: string;
  machine: { hostname: string; osFamily: string | null; assetTag: string | null; serial: string | null; department: string | null; note: string | null };
}

/** The preview's answer (server/src/machines/import/service.ts MachineImportPlan). */
interface MachineImportPlan {
  rows: PlannedMachine[];
  problems: ImportProblem[];
  summary: { rows: number; machines: number; units: number; problems: number };
}

/** Offers the CSV template. */
const downloadTemplate = () => downloadCsvTemplate('无代理计算机清单模板.csv', TEMPLATE);

/**
 * 导入计算机清单: choose an XLSX or CSV list of PCs without agents, see each row with its unit and
 * every problem by row and column, then register all rows or none. Bureau roles pick the unit rows
 * go to (rows may name another unit by credit code); a unit admin imports into its own unit.
 */
export function ImportMachinesModal({ open, ownUnitId, onClose }: { open: boolean; ownUnitId: string | undefined; onClose: (imported: number) => void }) {
  const { t, lang } = useI18n();
  const [pickedUnit, setPickedUnit] = useState<string | undefined>(undefined);
  const [file, setFile] = useState<{ name: string; format: 'csv' | 'xlsx'; content: string } | undefined>(undefined);
  const [plan, setPlan] = useState<MachineImportPlan | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const orgId = ownUnitId ?? pickedUnit;

  const close = (imported: number) => {
    setFile(undefined);
    setPlan(undefined);
    setError(undefined);
    onClose(imported);
  };

  const preview = async (picked: { format: 'csv' | 'xlsx'; content: string }, unit: string | undefined) => {
    setPlan(undefined);
    if (!unit) return;
    setBusy(true);
    setError(undefined);
    try {
      setPlan(await api<MachineImportPlan>('POST', '/api/machines/import/preview', { orgId: unit, format: picked.format, content: picked.content }));
    } catch (caught) {
      setError(errorText(caught, t));
    } finally {
      setBusy(false);
    }
  };

  const choose = async (chosen: File) => {
    const format = /\.xlsx$/i.test(chosen.name) ? 'xlsx' : /\.csv$/i.test(chosen.name) ? 'csv' : undefined;
    setPlan(undefined);
    if (!format) {
      setError(t('mreg.wrongType'));
      return false;
    }
    try {
      const picked = { name: chosen.name, format, content: await readBase64(chosen) } as const;
      setFile(picked);
      await preview(picked, orgId);
    } catch (caught) {
      setError(errorText(caught, t));
    }
    return false;
  };

  const commit = async () => {
    if (!file || !orgId) return;
    setBusy(true);
    try {
      const answer = await api<{ imported: MachineImportPlan['summary'] }>('POST', '/api/machines/import', { orgId, format: file.format, content: file.content });
      close(answer.imported.machines);
    } catch (caught) {
      setError(errorText(caught, t));
    } finally {
      setBusy(false);
    }
  };

  const canImport = Boolean(plan && plan.problems.length === 0 && plan.rows.length > 0);
  return (
    <Modal
      title={t('mreg.importTitle')}
      open={open}
      width={960}
      onCancel={() => close(0)}
      destroyOnHidden
      data-testid="machine-import"
      footer={[
        <Button key="cancel" onClick={() => close(0)}>
          {t('mreg.cancel')}
        </Button>,
        <Button key="import" type="primary" disabled={!canImport} loading={busy} onClick={() => void commit()} data-testid="machine-import-commit">
          {plan ? t('mreg.commit', { n: plan.rows.length }) : t('mreg.commitNone')}
        </Button>,
      ]}
    >
      <Typography.Paragraph type="secondary">{t('mreg.importHint')}</Typography.Paragraph>
      <Space wrap style={{ display: 'flex', marginBottom: 12 }}>
        {!ownUnitId && (
          <UnitPicker
            value={pickedUnit}
            width={280}
            onChange={(unit) => {
              setPickedUnit(unit);
              if (file) void preview(file, unit);
            }}
          />
        )}
        <Upload accept=".xlsx,.csv" showUploadList={false} beforeUpload={(f) => choose(f)} maxCount={1} disabled={!orgId}>
          <Button icon={<UploadOutlined />} loading={busy} disabled={!orgId} data-testid="machine-import-choose">
            {file ? t('mreg.chooseAnother') : t('mreg.choose')}
          </Button>
        </Upload>
        <Button icon={<DownloadOutlined />} type="link" onClick={downloadTemplate}>
          {t('mreg.template')}
        </Button>
        {file && <Typography.Text>{file.name}</Typography.Text>}
      </Space>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      {plan && (
        <>
          <Space size="large" style={{ marginBottom: 12 }} data-testid="machine-import-summary">
            <Statistic title={t('mreg.rows')} value={plan.summary.rows} />
            <Statistic title={t('mreg.machines')} value={plan.summary.machines} />
            <Statistic title={t('mreg.units')} value={plan.summary.units} />
            <Statistic title={t('mreg.problems')} value={plan.summary.problems} styles={{ content: { color: plan.problems.length ? '#cf1322' : undefined } }} />
          </Space>
          <ImportProblems problems={plan.problems} keys={{ fixFirst: 'mreg.fixFirst', row: 'mreg.row', column: 'mreg.column', problem: 'mreg.problem' }} testId="machine-import-problems" />
          {plan.rows.length > 0 && (
            <Table<PlannedMachine>
              size="small"
              rowKey="row"
              dataSource={plan.rows}
              pagination={{ pageSize: 8, hideOnSinglePage: true }}
              style={{ marginTop: 12 }}
              data-testid="machine-import-rows"
              columns={[
                { title: t('mreg.row'), dataIndex: 'row', width: 60 },
                { title: t('mreg.unit'), dataIndex: 'unitName' },
                { title: t('mreg.hostname'), render: (_, r) => r.machine.hostname },
                { title: t('mreg.os'), render: (_, r) => (r.machine.osFamily ? nameOf(OS_FAMILY_NAMES, r.machine.osFamily, lang) : t('mreg.osUnknown')) },
                { title: t('mreg.assetTag'), render: (_, r) => r.machine.assetTag ?? '—' },
                { title: t('mreg.serial'), render: (_, r) => r.machine.serial ?? '—' },
                { title: t('mreg.department'), render: (_, r) => r.machine.department ?? '—' },
              ]}
            />
          )}
        </>
      )}
    </Modal>
  );
}
