import { Alert, Card, Descriptions, Empty, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { Link, useParams } from 'react-router';
import { api } from '../api.ts';
import { MachineRetirementCard, RetiredTag, type MachineRecord } from '../components/machine-retirement.tsx';
import { errorText } from '../errors.ts';
import { findingName, findingRemedy } from '../finding-codes.ts';
import { formatTime } from '../format.ts';
import { useI18n } from '../i18n.tsx';
import { ACTIVATION_NAMES, nameOf, OS_FAMILY_NAMES, SEVERITY_COLOURS } from '../labels.ts';
import { useLiveReload } from '../live.tsx';
import type { MachineDetail } from '../types.ts';
import { useApi } from '../use-api.ts';

interface ServerFinding {
  id: string;
  code: string;
  subject: string | null;
  severity: string;
  origin: string;
  evidence: unknown;
  openedAt: string;
}

/** One machine: status (in use or retired, with registration details), OS, activation, hardware, office suites, findings, installed software. */
export function MachineDetailPage() {
  const { id = '' } = useParams();
  const { t, lang } = useI18n();
  const detail = useApi(() => api<{ machine: MachineDetail & MachineRecord }>('GET', `/api/machines/${encodeURIComponent(id)}`), [id]);
  const findings = useApi(() => api<{ findings: ServerFinding[] }>('GET', `/api/findings?machineId=${encodeURIComponent(id)}`), [id]);
  useLiveReload(
    () => {
      detail.reload();
      findings.reload();
    },
    (event) => event.machineId === id,
  );

  if (detail.error) {
    return <Alert type="error" showIcon title={errorText(detail.error, t)} action={<Link to="/machines">{t('menu.machines')}</Link>} />;
  }
  const m = detail.data?.machine;
  if (!m) return <Card loading />;
  const allFindings = [
    ...(findings.data?.findings ?? []).map((f) => ({ key: f.id, code: f.code, severity: f.severity, text: f.subject ?? '', since: f.openedAt })),
    ...m.findings.map((f, i) => ({ key: `agent-${i}`, code: String(f.code ?? ''), severity: String(f.severity ?? 'info'), text: String(f.evidence ?? ''), since: m.collectedAt })),
  ];
  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }} data-testid="machine-detail">
      <Card
        title={
          <Space>
            <Typography.Text strong>{m.hostname}</Typography.Text>
            <RetiredTag machine={m} />
          </Space>
        }
        extra={<Link to="/machines">{t('menu.machines')}</Link>}
      >
        <Descriptions size="small" column={3} bordered>
          <Descriptions.Item label={t('machines.unit')}>{m.org.name}</Descriptions.Item>
          <Descriptions.Item label={t('machine.os')}>
            {m.os.product ?? nameOf(OS_FAMILY_NAMES, m.os.family, lang)} {m.os.edition} {m.os.version}
          </Descriptions.Item>
          <Descriptions.Item label={t('machine.activation')}>
            <Tag color={m.activation.status === 'licensed' ? 'green' : 'red'}>{nameOf(ACTIVATION_NAMES, m.activation.status ?? 'unknown', lang)}</Tag>
            {m.activation.channel} {m.activation.kmsHost ? `KMS ${m.activation.kmsHost}` : ''}
          </Descriptions.Item>
          <Descriptions.Item label={t('machine.hardware')}>
            {[m.hardware.vendor, m.hardware.model, m.hardware.cpu, m.hardware.memoryMb ? `${Math.round(m.hardware.memoryMb / 1024)} GB` : null].filter(Boolean).join(' · ') || '—'}
          </Descriptions.Item>
          <Descriptions.Item label={t('machines.agent')}>{m.agentVersion ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('machines.lastSeen')}>{formatTime(m.lastSeenAt, lang)}</Descriptions.Item>
        </Descriptions>
      </Card>
      <MachineRetirementCard
        machine={m}
        onChanged={() => {
          detail.reload();
          findings.reload();
        }}
      />
      <Card title={t('machine.findings')} size="small">
        {allFindings.length === 0 ? (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('machine.noFindings')} />
        ) : (
          <Table
            size="small"
            pagination={false}
            dataSource={allFindings}
            columns={[
              {
                title: t('machine.findingCode'),
                dataIndex: 'code',
                // The name a clerk understands, the code for whoever reads logs, the remedy on hover.
                render: (code: string, f) => (
                  <Tooltip title={findingRemedy(code, lang)}>
                    <Tag color={SEVERITY_COLOURS[f.severity] ?? 'default'}>{findingName(code, lang)}</Tag>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>{code}</Typography.Text>
                  </Tooltip>
                ),
              },
              { title: t('machine.findingSubject'), dataIndex: 'text' },
              { title: t('machine.findingSince'), dataIndex: 'since', render: (v: string | null) => formatTime(v, lang) },
            ]}
          />
        )}
      </Card>
      <Card title={t('machine.office')} size="small">
        {m.office.length === 0 ? (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('machine.noOffice')} />
        ) : (
          <Space wrap>
            {m.office.map((suite, i) => (
              <Tag key={i} color="blue">
                {String(suite.product ?? '')} {String(suite.edition ?? '')} {String(suite.version ?? '')}
              </Tag>
            ))}
          </Space>
        )}
      </Card>
      <Card title={`${t('machine.software')} (${m.software.length})`} size="small">
        <Table
          size="small"
          rowKey="key"
          dataSource={m.software}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          columns={[
            { title: t('machine.name'), dataIndex: 'name' },
            { title: t('machine.version'), dataIndex: 'version' },
            { title: t('machine.publisher'), dataIndex: 'publisher' },
            { title: t('machine.installed'), dataIndex: 'installDate' },
          ]}
        />
      </Card>
    </Space>
  );
}
