import { useCallback, useEffect, useState } from 'react';
import { ApiError } from './api.ts';

/** Loads data from the API; `reload` fetches again without blanking what is shown. */
export function useApi<T>(load: () => Promise<T>, deps: readonly unknown[]) {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<ApiError | undefined>(undefined);
  const [loading, setLoading] = useState(true);
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const reload = useCallback(() => {
    setLoading(true);
    load()
      .then((value) => {
        setData(value);
        setError(undefined);
      })
      .catch((caught: unknown) => setError(caught instanceof ApiError ? caught : new ApiError(0, 'client', String(caught))))
      .finally(() => setLoading(false));
  }, deps);
  useEffect(reload, [reload]);
  return { data, error, loading, reload };
}
