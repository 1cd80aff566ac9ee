import { Input } from 'antd';
import { useEffect, useState } from 'react';

/**
 * A search box for lists the server searches: the text goes out on Enter (or the search button)
 * and when the box is cleared, not on every keystroke, so a city-wide list is queried once per
 * search. `value` is the search in force (from the URL or the page's state); the box follows it.
 */
export function ServerSearch({ value, onSearch, placeholder, width, testId }: { value: string | undefined; onSearch: (text: string | undefined) => void; placeholder: string; width: number; testId?: string }) {
  const [text, setText] = useState(value ?? '');
  useEffect(() => setText(value ?? ''), [value]);
  return (
    <Input.Search
      allowClear
      placeholder={placeholder}
      value={text}
      onChange={(e) => {
        setText(e.target.value);
        if (!e.target.value) onSearch(undefined);
      }}
      onSearch={(submitted) => onSearch(submitted.trim() || undefined)}
      style={{ width }}
      data-testid={testId}
    />
  );
}
