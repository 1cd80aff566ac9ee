import { Select } from 'antd';
import { useOrgSearch } from '../../components/use-org-search.ts';
import { useI18n } from '../../i18n.tsx';
import type { OrgKind } from './admin-types.ts';
import { ORG_KIND_NAMES } from './org-names.ts';
import { nameOf } from '../../labels.ts';

interface OrgOption {
  id: string;
  name: string;
  kind: OrgKind;
}

/**
 * Picks one org of the caller's scope (bureau, zone or unit), searched on the server by name or
 * credit code. `kind` limits the choice (units only, say).
 */
export function OrgSelect({
  value,
  onChange,
  kind,
  width = 260,
  allowClear = true,
  placeholder,
  testId = 'org-select',
}: {
  value: string | undefined;
  onChange: (orgId: string | undefined, org: OrgOption | undefined) => void;
  kind?: OrgKind;
  width?: number | string;
  allowClear?: boolean;
  placeholder?: string;
  testId?: string;
}) {
  const { t, lang } = useI18n();
  const { shown, loading, setSearch, seen } = useOrgSearch<OrgOption>(kind, value, true);
  return (
    <Select
      allowClear={allowClear}
      showSearch
      filterOption={false}
      onSearch={setSearch}
      loading={loading}
      placeholder={placeholder ?? t('adm.anyOrg')}
      style={{ width }}
      value={value}
      onChange={(id?: string) => onChange(id || undefined, id ? seen.get(id) : undefined)}
      notFoundContent={loading ? t('common.loading') : t('adm.noOrg')}
      options={shown.map((o) => ({ value: o.id, label: `${o.name}（${nameOf(ORG_KIND_NAMES, o.kind, lang)}）` }))}
      data-testid={testId}
    />
  );
}
