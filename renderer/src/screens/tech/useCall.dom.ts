import { useCallback, useEffect, useState } from 'react';
import type { CallInput, CallName, CallOutput } from '../../../../contract/api.ts';
import { useKiosk } from '../../kiosk-context.tsx';

/** Loads one kiosk call's answer and reloads it on demand; errors are kept as text for the technician. */
export function useCall<K extends CallName>(name: K, input: CallInput<K>) {
  const { api } = useKiosk();
  const [value, setValue] = useState<CallOutput<K> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const key = JSON.stringify(input);
  const reload = useCallback(async () => {
    setLoading(true);
    const r = await api.call(name, JSON.parse(key) as CallInput<K>);
    setLoading(false);
    if (r.ok) {
      setValue(r.value);
      setError(null);
    } else setError(`${r.error.code}: ${r.error.message}`);
  }, [api, name, key]);
  useEffect(() => {
    void reload();
  }, [reload]);
  return { value, error, loading, reload };
}
