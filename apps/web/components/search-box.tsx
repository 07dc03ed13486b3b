'use client';
import type { Autocomplete } from '@/lib/types';
import { useEffect, useId, useRef, useState } from 'react';
import { api } from '@/lib/api/browser';

export interface SearchBoxStrings {
  searchLabel: string;
  searchPlaceholder: string;
  searchButton: string;
  suggestions: string;
}

type Suggestion = Autocomplete['suggestions'][number];

const DEBOUNCE_MS = 250;

const hrefOf = (s: Suggestion) => (s.kind === 'title' ? `/title/${s.slug}` : `/person/${s.slug}`);

/**
 * A plain GET form to /search (works without JavaScript), with suggestions from the autocomplete
 * endpoint as the viewer types: debounced, earlier requests cancelled, arrow keys and Enter to pick.
 */
export function SearchBox({ t, initial = '', id }: { t: SearchBoxStrings; initial?: string; id: string }) {
  const [query, setQuery] = useState(initial);
  const [items, setItems] = useState<Suggestion[]>([]);
  const [active, setActive] = useState(-1);
  const [open, setOpen] = useState(false);
  const listId = useId();
  const typed = useRef(false);

  useEffect(() => {
    const q = query.trim();
    if (!typed.current || q.length < 2) {
      setItems([]);
      return;
    }
    const controller = new AbortController();
    const timer = setTimeout(() => {
      api<Autocomplete>(`/v1/catalog/autocomplete?q=${encodeURIComponent(q)}&limit=6`, {
        asProfile: true,
        signal: controller.signal,
      })
        .then((result) => {
          setItems(result.suggestions);
          setActive(-1);
          setOpen(true);
        })
        .catch(() => setItems([]));
    }, DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [query]);

  const showList = open && items.length > 0;

  return (
    <form action="/search" method="get" role="search" className="relative flex w-full gap-2">
      <label htmlFor={id} className="sr-only">
        {t.searchLabel}
      </label>
      <input
        id={id}
        name="q"
        type="search"
        value={query}
        autoComplete="off"
        placeholder={t.searchPlaceholder}
        role="combobox"
        aria-expanded={showList}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={showList && active >= 0 ? `${listId}-${active}` : undefined}
        className="min-h-11 w-full min-w-0 rounded-md border border-line bg-surface px-3 text-fg placeholder:text-muted focus:border-gold"
        onChange={(e) => {
          typed.current = true;
          setQuery(e.target.value);
        }}
        onBlur={() => setTimeout(() => setOpen(false), 150)}
        onFocus={() => setOpen(true)}
        onKeyDown={(e) => {
          if (!showList) return;
          if (e.key === 'ArrowDown') {
            e.preventDefault();
            setActive((i) => (i + 1) % items.length);
          } else if (e.key === 'ArrowUp') {
            e.preventDefault();
            setActive((i) => (i <= 0 ? items.length - 1 : i - 1));
          } else if (e.key === 'Escape') {
            setOpen(false);
          } else if (e.key === 'Enter' && active >= 0) {
            e.preventDefault();
            const chosen = items[active];
            if (chosen) window.location.assign(hrefOf(chosen));
          }
        }}
      />
      <button
        type="submit"
        className="min-h-11 shrink-0 rounded-md bg-gold px-4 text-sm font-semibold text-ink hover:bg-gold/90"
      >
        {t.searchButton}
      </button>
      <ul
        id={listId}
        role="listbox"
        aria-label={t.suggestions}
        hidden={!showList}
        className="absolute top-full right-0 left-0 z-20 mt-1 overflow-hidden rounded-md border border-line bg-surface-raised shadow-lg"
      >
        {items.map((s, i) => (
          <li key={`${s.kind}-${s.id}`} id={`${listId}-${i}`} role="option" aria-selected={i === active}>
            <a
              href={hrefOf(s)}
              tabIndex={-1}
              className={`flex min-h-11 items-center justify-between gap-3 px-3 py-2 ${i === active ? 'bg-line' : ''} hover:bg-line`}
            >
              <span className="truncate">{s.name}</span>
              <span className="shrink-0 text-xs text-muted">{s.year ?? (s.kind === 'person' ? '👤' : '')}</span>
            </a>
          </li>
        ))}
      </ul>
    </form>
  );
}
