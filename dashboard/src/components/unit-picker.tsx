import { Select } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { api, query } from '../api.ts';
import { useI18n } from '../i18n.tsx';

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
  const [search, setSearch] = useState('');
  const [options, setOptions] = useState<OrgOption[]>([]);
  const [loading, setLoading] = useState(false);
  // Units seen in earlier searches, so the chosen one keeps its name when a new search omits it.
  const seen = useRef(new Map<string, OrgOption>());
  useEffect(() => {
    let current = true;
    setLoading(true);
    const timer = setTimeout(() => {
      api<{ orgs: OrgOption[] }>('GET', `/api/orgs${query({ kind: 'unit', q: search.trim(), limit: 50 })}`)
        .then((answer) => {
          for (const org of answer.orgs) seen.current.set(org.id, org);
          if (current) setOptions(answer.orgs);
        })
        .catch(() => current && setOptions([]))
        .finally(() => current && setLoading(false));
    }, 250);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [search]);
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
      options={[...(value && !options.some((o) => o.id === value) && seen.current.has(value) ? [seen.current.get(value)!] : []), ...options].map((o) => ({ value: o.id, label: o.region ? `${o.name}（${o.region}）` : o.name }))}
      data-testid="unit-picker"
    />
  );
}
