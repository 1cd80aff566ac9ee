import { InfoCircleOutlined } from '@ant-design/icons';
import { Collapse, Descriptions, Typography } from 'antd';
import { api } from '../api.ts';
import { useI18n } from '../i18n.tsx';
import { useApi } from '../use-api.ts';

type Text = { zh: string; en: string };
type Definitions = Record<string, Text | unknown> & { rulesetVersion: string };

/** The definitions the server publishes, in the order the pages use the numbers. */
const SHOWN = ['install', 'licencesInForce', 'allocation', 'shortfall', 'compliantMachine', 'complianceRate', 'kylinShare', 'domesticOsShare', 'domesticOfficeShare', 'unrecognised'] as const;

const isText = (value: unknown): value is Text => typeof value === 'object' && value !== null && 'zh' in value && 'en' in value;

/**
 * How every number is defined (GET /api/compliance/definitions, the same text as
 * docs/COMPLIANCE.md), folded under the page so it is one click away and never in the way.
 */
export function DefinitionsPanel({ keys = SHOWN }: { keys?: readonly (typeof SHOWN)[number][] }) {
  const { t, lang } = useI18n();
  const definitions = useApi(() => api<Definitions>('GET', '/api/compliance/definitions'), []);
  const data = definitions.data;
  return (
    <Collapse
      size="small"
      data-testid="definitions"
      items={[
        {
          key: 'definitions',
          label: (
            <span>
              <InfoCircleOutlined /> {t('wb.definitions')}
            </span>
          ),
          children: data ? (
            <>
              <Descriptions
                size="small"
                column={1}
                bordered
                styles={{ label: { width: 150 } }}
                items={keys.filter((key) => isText(data[key])).map((key) => ({ key, label: t(`wb.def.${key}`), children: (data[key] as Text)[lang] }))}
              />
              <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>
                {t('wb.rulesetVersion', { version: data.rulesetVersion })}
              </Typography.Paragraph>
            </>
          ) : (
            <Typography.Text type="secondary">{definitions.error ? t('common.error', { message: definitions.error.message }) : t('common.loading')}</Typography.Text>
          ),
        },
      ]}
    />
  );
}
