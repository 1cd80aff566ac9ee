import { Alert, Table } from 'antd';
import { useI18n } from '../i18n.tsx';

/** One problem of an import preview: a row of the file, the column (when one is to blame), the message in both languages. */
export interface ImportProblem {
  row: number;
  column: string | null;
  message: { zh: string; en: string };
}

/**
 * The problems of an import preview (units, machines without agents): a "fix these first" alert
 * above a table of row, column and message. `keys` name the i18n keys of each import's texts.
 */
export function ImportProblems({ problems, keys, testId }: { problems: readonly ImportProblem[]; keys: { fixFirst: string; row: string; column: string; problem: string }; testId: string }) {
  const { t, lang } = useI18n();
  if (problems.length === 0) return null;
  return (
    <>
      <Alert type="error" showIcon title={t(keys.fixFirst)} style={{ marginBottom: 8 }} />
      <Table<ImportProblem>
        size="small"
        rowKey={(p, i) => `${p.row}-${p.column}-${i}`}
        dataSource={[...problems]}
        pagination={{ pageSize: 8, hideOnSinglePage: true }}
        data-testid={testId}
        columns={[
          { title: t(keys.row), dataIndex: 'row', width: 80 },
          { title: t(keys.column), dataIndex: 'column', width: 170, render: (c: string | null) => c ?? '—' },
          { title: t(keys.problem), render: (_, p) => p.message[lang] },
        ]}
      />
    </>
  );
}
