import { Select } from 'antd';
import { useI18n } from '../i18n.tsx';
import { useOrgSearch } from './use-org-search.ts';

interface OrgOption {
  id: string;
  name: string;
  region: string | null;
}

/**
 * Picks one unit of the caller's scope (bureau roles), searched on the server by name or credit
 * code so a city of thousands of units stays quick. Empty = every unit in scope.
 */
export function UnitPicker({ value, onChange, width = 240 }: { value: string | undefined; onChange: (orgId: string | undefined) => void; width?: number }) {
  const { t } = useI18n();
  const { shown, loading, setSearch } = useOrgSearch<OrgOption>('unit', value, false);
  return (
    <Select
      allowClear
      showSearch
      filterOption={false}
      onSearch={setSearch}
      loading={loading}
      placeholder={t('wb.allUnits')}
      style={{ width }}
      value={value}
      onChange={(id?: string) => onChange(id || undefined)}
      notFoundContent={loading ? t('common.loading') : t('wb.noUnit')}
      options={shown.map((o) => ({ value: o.id, label: o.region ? `${o.name}（${o.region}）` : o.name }))}
      data-testid="unit-picker"
    />
  );
}
