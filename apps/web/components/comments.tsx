'use client';
import type { Comment, CommentReportReason } from '@kush/contracts';
import { useState } from 'react';
import { api, ApiError } from '@/lib/api/browser';

export interface CommentsStrings {
  comments: string;
  commentPlaceholder: string;
  commentPost: string;
  commentEdit: string;
  commentSave: string;
  commentCancel: string;
  commentDelete: string;
  commentDeleteConfirm: string;
  commentReport: string;
  commentReported: string;
  commentHidden: string;
  commentEdited: string;
  commentsEmpty: string;
  moreComments: string;
  reportReason: string;
  reasonSpam: string;
  reasonAbuse: string;
  reasonSpoiler: string;
  reasonOffTopic: string;
  reasonOther: string;
  send: string;
  signInToRate: string;
  errorGeneric: string;
}

const REASONS: { value: CommentReportReason; key: keyof CommentsStrings }[] = [
  { value: 'spam', key: 'reasonSpam' },
  { value: 'abuse', key: 'reasonAbuse' },
  { value: 'spoiler', key: 'reasonSpoiler' },
  { value: 'off_topic', key: 'reasonOffTopic' },
  { value: 'other', key: 'reasonOther' },
];

const button = 'min-h-11 rounded-md px-3 text-sm font-semibold';

const messageOf = (error: unknown, t: CommentsStrings) =>
  error instanceof ApiError && error.status !== 500 && error.status !== 0 ? error.message : t.errorGeneric;

function CommentItem({
  comment,
  t,
  profileId,
  dates,
  onChange,
  onRemove,
  maxLength,
}: {
  maxLength: number;
  comment: Comment;
  t: CommentsStrings;
  profileId: string | null;
  dates: Record<string, string>;
  onChange: (c: Comment) => void;
  onRemove: (id: string) => void;
}) {
  const [mode, setMode] = useState<'view' | 'edit' | 'report' | 'reported'>('view');
  const [text, setText] = useState(comment.body);
  const [reason, setReason] = useState<CommentReportReason>('spam');
  const [error, setError] = useState<string | null>(null);

  async function act(work: () => Promise<void>) {
    setError(null);
    try {
      await work();
    } catch (e) {
      setError(messageOf(e, t));
    }
  }

  return (
    <li className="border-b border-line py-4" data-comment={comment.id}>
      <p className="text-sm">
        <span className="font-semibold">{comment.author.name}</span>{' '}
        <span className="text-muted">
          · {dates[comment.id] ?? comment.createdAt.slice(0, 10)}
          {comment.editedAt ? ` · ${t.commentEdited}` : ''}
        </span>
      </p>
      {comment.hidden ? <p className="mt-1 text-xs text-warn">{t.commentHidden}</p> : null}
      {mode === 'edit' ? (
        <form
          className="mt-2"
          onSubmit={(e) => {
            e.preventDefault();
            void act(async () => {
              const updated = await api<Comment>(`/v1/profiles/${profileId}/comments/${comment.id}`, {
                method: 'PATCH',
                body: { body: text },
              });
              onChange(updated);
              setMode('view');
            });
          }}
        >
          <label className="sr-only" htmlFor={`edit-${comment.id}`}>
            {t.commentEdit}
          </label>
          <textarea
            id={`edit-${comment.id}`}
            value={text}
            maxLength={maxLength}
            required
            onChange={(e) => setText(e.target.value)}
            rows={3}
            className="w-full rounded-md border border-line bg-surface p-2 text-fg"
          />
          <div className="mt-2 flex gap-2">
            <button type="submit" className={`${button} bg-gold text-ink`}>
              {t.commentSave}
            </button>
            <button type="button" className={`${button} border border-line`} onClick={() => setMode('view')}>
              {t.commentCancel}
            </button>
          </div>
        </form>
      ) : (
        <p className="mt-1 whitespace-pre-line break-words">{comment.body}</p>
      )}
      {mode === 'report' ? (
        <form
          className="mt-2 flex flex-wrap items-end gap-2"
          onSubmit={(e) => {
            e.preventDefault();
            void act(async () => {
              await api(`/v1/comments/${comment.id}/report`, { method: 'POST', body: { reason } });
              setMode('reported');
            });
          }}
        >
          <label className="flex flex-col gap-1 text-sm">
            {t.reportReason}
            <select
              value={reason}
              onChange={(e) => setReason(e.target.value as CommentReportReason)}
              className="min-h-11 rounded-md border border-line bg-surface px-2"
            >
              {REASONS.map((r) => (
                <option key={r.value} value={r.value}>
                  {t[r.key]}
                </option>
              ))}
            </select>
          </label>
          <button type="submit" className={`${button} border border-line`}>
            {t.send}
          </button>
          <button type="button" className={`${button} text-muted`} onClick={() => setMode('view')}>
            {t.commentCancel}
          </button>
        </form>
      ) : null}
      {mode === 'reported' ? (
        <p role="status" className="mt-2 text-sm text-ok">
          {t.commentReported}
        </p>
      ) : null}
      {mode === 'view' && profileId ? (
        <div className="mt-1 flex gap-1 text-muted">
          {comment.mine ? (
            <>
              <button type="button" className={`${button} hover:text-fg`} onClick={() => setMode('edit')}>
                {t.commentEdit}
              </button>
              <button
                type="button"
                className={`${button} hover:text-fg`}
                onClick={() => {
                  if (!window.confirm(t.commentDeleteConfirm)) return;
                  void act(async () => {
                    await api(`/v1/profiles/${profileId}/comments/${comment.id}`, { method: 'DELETE' });
                    onRemove(comment.id);
                  });
                }}
              >
                {t.commentDelete}
              </button>
            </>
          ) : (
            <button type="button" className={`${button} hover:text-fg`} onClick={() => setMode('report')}>
              {t.commentReport}
            </button>
          )}
        </div>
      ) : null}
      {error ? (
        <p role="alert" className="mt-1 text-sm text-down">
          {error}
        </p>
      ) : null}
    </li>
  );
}

/**
 * A title's comments: the first page is rendered on the server (readable without JavaScript);
 * posting, editing, deleting, reporting and "more comments" need it. Bodies are plain text,
 * rendered escaped.
 */
export function Comments({
  t,
  titleId,
  profileId,
  initial,
  initialCursor,
  dates,
  maxBodyLength,
}: {
  t: CommentsStrings;
  titleId: string;
  /** contracts' COMMENT_MAX_LENGTH, passed in so zod never reaches the browser bundle. */
  maxBodyLength: number;
  /** Null when signed out or no profile is selected: reading only. */
  profileId: string | null;
  initial: Comment[];
  initialCursor: string | null;
  /** Server-formatted dates (Kampala time) for the first page. */
  dates: Record<string, string>;
}) {
  const [items, setItems] = useState(initial);
  const [cursor, setCursor] = useState(initialCursor);
  const [draft, setDraft] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function post() {
    setBusy(true);
    setError(null);
    try {
      const created = await api<Comment>(`/v1/profiles/${profileId}/comments`, {
        method: 'POST',
        body: { titleId, body: draft },
      });
      setItems((list) => [created, ...list]);
      setDraft('');
    } catch (e) {
      setError(messageOf(e, t));
    } finally {
      setBusy(false);
    }
  }

  async function more() {
    if (!cursor) return;
    setBusy(true);
    try {
      const page = await api<{ items: Comment[]; nextCursor: string | null }>(
        `/v1/titles/${titleId}/comments?cursor=${encodeURIComponent(cursor)}`,
      );
      setItems((list) => [...list, ...page.items.filter((c) => !list.some((x) => x.id === c.id))]);
      setCursor(page.nextCursor);
    } catch (e) {
      setError(messageOf(e, t));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="comments-heading" className="mt-10">
      <h2 id="comments-heading" className="text-lg font-semibold sm:text-xl">
        {t.comments}
      </h2>
      {profileId ? (
        <form
          className="mt-3"
          onSubmit={(e) => {
            e.preventDefault();
            void post();
          }}
        >
          <label htmlFor="new-comment" className="sr-only">
            {t.commentPlaceholder}
          </label>
          <textarea
            id="new-comment"
            value={draft}
            onChange={(e) => setDraft(e.target.value)}
            placeholder={t.commentPlaceholder}
            maxLength={maxBodyLength}
            required
            rows={3}
            className="w-full rounded-md border border-line bg-surface p-3 text-fg placeholder:text-muted"
          />
          <button
            type="submit"
            disabled={busy || draft.trim() === ''}
            className={`${button} mt-2 bg-gold px-5 text-ink disabled:opacity-60`}
          >
            {t.commentPost}
          </button>
        </form>
      ) : (
        <p className="mt-3 text-muted">
          <a href="/login" className="text-gold underline underline-offset-4">
            {t.signInToRate}
          </a>
        </p>
      )}
      {error ? (
        <p role="alert" className="mt-2 text-sm text-down">
          {error}
        </p>
      ) : null}
      {items.length === 0 ? <p className="mt-4 text-muted">{t.commentsEmpty}</p> : null}
      <ul className="mt-2">
        {items.map((comment) => (
          <CommentItem
            key={comment.id}
            comment={comment}
            t={t}
            profileId={profileId}
            dates={dates}
            maxLength={maxBodyLength}
            onChange={(c) => setItems((list) => list.map((x) => (x.id === c.id ? c : x)))}
            onRemove={(id) => setItems((list) => list.filter((x) => x.id !== id))}
          />
        ))}
      </ul>
      {cursor ? (
        <button
          type="button"
          onClick={() => void more()}
          disabled={busy}
          className={`${button} mt-4 border border-line px-5 hover:border-gold`}
        >
          {t.moreComments}
        </button>
      ) : null}
    </section>
  );
}
