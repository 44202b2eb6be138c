import { useEffect, useState } from 'react';

export function useSearch(query: string) {
  const [results, setResults] = useState<string[]>([]);
  const [loading, setLoading] = useState(false);
  useEffect(() => {
    setLoading(true);
    fetch('/api/search?q=' + encodeURIComponent(query))
      .then((r) => r.json())
      .then((data) => {
        setResults(data.items);
        setLoading(false);
      });
  }, [query]);
  return { results, loading };
}
