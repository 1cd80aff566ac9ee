import { Select } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { api, query } from '../../api.ts';
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
  const [search, setSearch] = useState('');
  const [options, setOptions] = useState<OrgOption[]>([]);
  const [loading, setLoading] = useState(false);
  // Orgs seen in earlier searches, so the chosen one keeps its name when a new search omits it.
  const seen = useRef(new Map<string, OrgOption>());
  useEffect(() => {
    let current = true;
    setLoading(true);
    const timer = setTimeout(() => {
      api<{ orgs: OrgOption[] }>('GET', `/api/orgs${query({ kind, q: search.trim(), limit: 50 })}`)
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
  }, [search, kind]);
  // A value given from outside (the caller's own org, say) is looked up once for its name.
  useEffect(() => {
    if (!value || seen.current.has(value)) return;
    let current = true;
    api<{ org: OrgOption }>('GET', `/api/orgs/${value}`)
      .then(({ org }) => {
        seen.current.set(org.id, org);
        if (current) setOptions((list) => (list.some((o) => o.id === org.id) ? list : [org, ...list]));
      })
      .catch(() => undefined);
    return () => {
      current = false;
    };
  }, [value]);
  const shown = [...(value && !options.some((o) => o.id === value) && seen.current.has(value) ? [seen.current.get(value)!] : []), ...options];
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
      onChange={(id?: string) => onChange(id || undefined, id ? seen.current.get(id) : undefined)}
      notFoundContent={loading ? t('common.loading') : t('adm.noOrg')}
      options={shown.map((o) => ({ value: o.id, label: `${o.name}（${nameOf(ORG_KIND_NAMES, o.kind, lang)}）` }))}
      data-testid={testId}
    />
  );
}
