'use client';
import { useRouter } from 'next/navigation';
import { type ComponentProps, type FormEvent, useEffect, useRef, useState } from 'react';
import { api } from '@/lib/api/browser';
import { secondaryButtonClass, smallButtonClass } from './form-classes';
import {
  ConfirmDelete,
  FormActions,
  FormStatus,
  messageOf,
  nameAndSlug,
  NameSlugFields,
  SLUG_FROM_NAME_HINT,
  TextArea,
  TextField,
  useNameSlug,
  useSave,
} from './form';
import type { Page, StaffCategory, StaffTitle, StaffTitleSummary } from './types';

/** The home page rows: order (up/down, saved at once), create, rename, delete, and each row's titles. */
export function CategoryManager({ categories: initial }: { categories: StaffCategory[] }) {
  const [categories, setCategories] = useState(initial);
  const [announcement, setAnnouncement] = useState('');
  const [orderError, setOrderError] = useState<string | null>(null);
  const [savingOrder, setSavingOrder] = useState(false);
  const buttons = useRef(new Map<string, HTMLButtonElement | null>());
  const [refocus, setRefocus] = useState<string | null>(null);

  useEffect(() => setCategories(initial), [initial]);
  useEffect(() => {
    if (refocus) buttons.current.get(refocus)?.focus();
  }, [refocus, categories]);

  async function move(index: number, by: -1 | 1) {
    const next = [...categories];
    const [moved] = next.splice(index, 1);
    next.splice(index + by, 0, moved!);
    const previous = categories;
    setCategories(next);
    // Keep focus on the button just pressed, or on its twin when it became disabled at an end.
    const target = index + by === 0 ? 'down' : index + by === next.length - 1 ? 'up' : by < 0 ? 'up' : 'down';
    setRefocus(`${moved!.id}:${target}`);
    setSavingOrder(true);
    setOrderError(null);
    try {
      const saved = await api<{ items: StaffCategory[] }>('/v1/admin/categories/order', {
        method: 'PUT',
        body: { ids: next.map((c) => c.id) },
      });
      setCategories(saved.items);
      setAnnouncement(`${moved!.name} moved to position ${index + by + 1} of ${next.length}. Order saved.`);
    } catch (error) {
      setCategories(previous);
      setOrderError(messageOf(error));
    } finally {
      setSavingOrder(false);
    }
  }

  return (
    <div className="grid gap-6">
      <p aria-live="polite" className="sr-only">
        {announcement}
      </p>
      {orderError ? (
        <p role="alert" className="text-sm text-down">
          The order was not saved: {orderError}
        </p>
      ) : null}
      {categories.length === 0 ? <p className="text-muted">No categories yet.</p> : null}
      <ol className="grid gap-3" aria-label="Categories in home page order">
        {categories.map((category, index) => (
          <li key={category.id} className="rounded-xl border border-line bg-surface p-3 sm:p-4">
            <div className="flex flex-wrap items-center justify-between gap-2">
              <div className="min-w-0">
                <span className="mr-2 text-sm text-muted tabular-nums">{index + 1}.</span>
                <span className="font-semibold">{category.name}</span>
                <span className="ml-2 text-xs text-muted">
                  /{category.slug} · {category.titleIds.length} title{category.titleIds.length === 1 ? '' : 's'}
                </span>
              </div>
              <div className="flex gap-1">
                <MoveButton
                  direction="up"
                  itemName={category.name}
                  ref={(el) => void buttons.current.set(`${category.id}:up`, el)}
                  disabled={index === 0 || savingOrder}
                  onClick={() => void move(index, -1)}
                />
                <MoveButton
                  direction="down"
                  itemName={category.name}
                  ref={(el) => void buttons.current.set(`${category.id}:down`, el)}
                  disabled={index === categories.length - 1 || savingOrder}
                  onClick={() => void move(index, 1)}
                />
              </div>
            </div>
            <details className="mt-2">
              <summary className="cursor-pointer text-sm text-muted">Edit, titles, delete</summary>
              <CategoryForm category={category} />
              <CategoryTitles category={category} />
              <ConfirmDelete
                path={`/v1/admin/categories/${category.id}`}
                label="Delete category"
                question={`Delete “${category.name}”? Its titles stay in the catalog.`}
                variant="small"
                className="mt-4 flex flex-wrap items-center gap-2 text-sm"
              />
            </details>
          </li>
        ))}
      </ol>
      <section aria-labelledby="new-category" className="rounded-xl border border-line bg-surface p-4">
        <h2 id="new-category" className="font-semibold">
          New category
        </h2>
        <CategoryForm />
      </section>
    </div>
  );
}

function CategoryForm({ category }: { category?: StaffCategory }) {
  const router = useRouter();
  const { state, run, saving, fieldErrors } = useSave();
  const nameSlug = useNameSlug(category);
  const [description, setDescription] = useState(category?.description ?? '');

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    const body = { ...nameAndSlug(nameSlug.name, nameSlug.slug), description: description.trim() || null };
    const saved = await run(
      () =>
        category
          ? api(`/v1/admin/categories/${category.id}`, { method: 'PATCH', body })
          : api('/v1/admin/categories', { method: 'POST', body }),
      category ? 'Saved.' : 'Category added at the end of the home page.',
    );
    if (saved) {
      if (!category) {
        nameSlug.clear();
        setDescription('');
      }
      router.refresh();
    }
  }

  return (
    <form onSubmit={(e) => void onSubmit(e)} noValidate className="mt-3 grid gap-3 sm:grid-cols-2">
      <NameSlugFields {...nameSlug} fieldErrors={fieldErrors} slugHint={category ? undefined : SLUG_FROM_NAME_HINT} />
      <TextArea
        label="Description"
        wrapperClassName="sm:col-span-2"
        rows={2}
        value={description}
        onChange={(e) => setDescription(e.target.value)}
        errors={fieldErrors.description}
      />
      <FormActions saving={saving} state={state}>
        {category ? 'Save category' : 'Add category'}
      </FormActions>
    </form>
  );
}

type TitleRef = { id: string; name: string; status: string };

/** A row's titles, in order. The API lists ids only, so names are read title by title. */
function CategoryTitles({ category }: { category: StaffCategory }) {
  const router = useRouter();
  const { state, run, saving, fieldErrors } = useSave();
  const [titles, setTitles] = useState<TitleRef[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [query, setQuery] = useState('');
  const [results, setResults] = useState<StaffTitleSummary[] | null>(null);

  useEffect(() => {
    let live = true;
    Promise.all(category.titleIds.map((id) => api<StaffTitle>(`/v1/admin/titles/${id}`)))
      .then((list) => live && setTitles(list.map((t) => ({ id: t.id, name: t.name, status: t.status }))))
      .catch((error: unknown) => live && setLoadError(messageOf(error)));
    return () => {
      live = false;
    };
  }, [category.titleIds]);

  async function search(event: FormEvent) {
    event.preventDefault();
    const q = new URLSearchParams({ limit: '10' });
    if (query.trim()) q.set('q', query.trim());
    try {
      setResults((await api<Page<StaffTitleSummary>>(`/v1/admin/titles?${q.toString()}`)).items);
    } catch (error) {
      setLoadError(messageOf(error));
    }
  }

  async function save() {
    if (!titles) return;
    const saved = await run(
      () =>
        api(`/v1/admin/categories/${category.id}/titles`, {
          method: 'PUT',
          body: { titleIds: titles.map((t) => t.id) },
        }),
      'Titles of the row saved.',
    );
    if (saved) router.refresh();
  }

  const move = (index: number, by: number) => {
    if (!titles) return;
    const next = [...titles];
    const [item] = next.splice(index, 1);
    next.splice(index + by, 0, item!);
    setTitles(next);
  };

  if (loadError) {
    return (
      <p role="alert" className="mt-3 text-sm text-down">
        {loadError}
      </p>
    );
  }
  if (!titles) return <p className="mt-3 text-sm text-muted">Loading the titles…</p>;
  return (
    <div className="mt-4 grid gap-2">
      <h3 className="text-sm font-semibold">Titles in this row</h3>
      {titles.length === 0 ? <p className="text-sm text-muted">None yet.</p> : null}
      <ol className="grid gap-1">
        {titles.map((t, index) => (
          <li
            key={t.id}
            className="flex items-center justify-between gap-2 rounded bg-surface-raised px-2 py-1 text-sm"
          >
            <span className="min-w-0 truncate">
              {t.name} <span className="text-muted">({t.status})</span>
            </span>
            <span className="flex shrink-0 gap-1">
              <MoveButton direction="up" itemName={t.name} disabled={index === 0} onClick={() => move(index, -1)} />
              <MoveButton
                direction="down"
                itemName={t.name}
                disabled={index === titles.length - 1}
                onClick={() => move(index, 1)}
              />
              <button
                type="button"
                className={smallButtonClass}
                onClick={() => setTitles(titles.filter((x) => x.id !== t.id))}
                aria-label={`Remove ${t.name} from ${category.name}`}
              >
                ✕
              </button>
            </span>
          </li>
        ))}
      </ol>
      {fieldErrors.titleIds ? <p className="text-sm text-down">{fieldErrors.titleIds.join('; ')}</p> : null}
      <form onSubmit={(e) => void search(e)} className="flex flex-wrap items-end gap-2" role="search">
        <TextField
          label="Find a title to add"
          type="search"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          wrapperClassName="min-w-48 flex-1"
        />
        <button type="submit" className={secondaryButtonClass}>
          Find
        </button>
      </form>
      {results ? (
        <ul className="grid gap-1" aria-label="Titles found">
          {results.length === 0 ? <li className="text-sm text-muted">No titles match.</li> : null}
          {results.map((r) => (
            <li key={r.id} className="flex items-center justify-between gap-2 text-sm">
              <span>
                {r.name} <span className="text-muted">({r.status})</span>
              </span>
              <button
                type="button"
                className={smallButtonClass}
                disabled={titles.some((t) => t.id === r.id)}
                onClick={() => setTitles([...titles, { id: r.id, name: r.name, status: r.status }])}
              >
                {titles.some((t) => t.id === r.id) ? 'In the row' : 'Add'}
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      <div className="flex flex-wrap items-center gap-3">
        <button type="button" className={secondaryButtonClass} disabled={saving} onClick={() => void save()}>
          {saving ? 'Saving…' : 'Save titles of the row'}
        </button>
        <FormStatus state={state} />
      </div>
    </div>
  );
}

/** ↑ or ↓ for one item of an ordered list, named for screen readers: "Move Drama up". */
function MoveButton({
  direction,
  itemName,
  ...button
}: { direction: 'up' | 'down'; itemName: string } & ComponentProps<'button'>) {
  return (
    <button type="button" className={smallButtonClass} aria-label={`Move ${itemName} ${direction}`} {...button}>
      {direction === 'up' ? '↑' : '↓'}
    </button>
  );
}
