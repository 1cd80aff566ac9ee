import { useEffect, useRef, useState } from 'react';
import { api, query } from '../api.ts';

/** The fields every org search answer carries (`GET /api/orgs`). */
export interface OrgSearchHit {
  id: string;
  name: string;
}

/**
 * Orgs of the caller's scope matching a search (name or credit code, on the server, 250 ms after
 * the last keystroke, 50 at most), for pickers that must stay quick in a city of thousands of
 * units. `value`, the chosen org, stays among the options with its name even when a later search
 * omits it; a value given from outside is looked up once (`lookUpValue`).
 */
export function useOrgSearch<T extends OrgSearchHit>(kind: string | undefined, value: string | undefined, lookUpValue: boolean) {
  const [search, setSearch] = useState('');
  const [options, setOptions] = useState<T[]>([]);
  const [loading, setLoading] = useState(false);
  // Orgs seen in earlier searches, so the chosen one keeps its name when a new search omits it.
  const seen = useRef(new Map<string, T>());
  useEffect(() => {
    let current = true;
    setLoading(true);
    const timer = setTimeout(() => {
      api<{ orgs: T[] }>('GET', `/api/orgs${query({ kind, q: search.trim(), limit: 50 })}`)
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
  useEffect(() => {
    if (!lookUpValue || !value || seen.current.has(value)) return;
    let current = true;
    api<{ org: T }>('GET', `/api/orgs/${value}`)
      .then(({ org }) => {
        seen.current.set(org.id, org);
        if (current) setOptions((list) => (list.some((o) => o.id === org.id) ? list : [org, ...list]));
      })
      .catch(() => undefined);
    return () => {
      current = false;
    };
  }, [value, lookUpValue]);
  const shown = [...(value && !options.some((o) => o.id === value) && seen.current.has(value) ? [seen.current.get(value)!] : []), ...options];
  return { shown, loading, setSearch, seen: seen.current };
}
