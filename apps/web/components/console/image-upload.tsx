'use client';
import { useRouter } from 'next/navigation';
import { useEffect, useId, useState } from 'react';
import {
  IMAGE_CONTENT_TYPES,
  MAX_IMAGE_BYTES,
  type ImageUpload as ImageUploadGrant,
  type ResponsiveImage,
} from '@kush/contracts';
import { api } from '@/lib/api/browser';
import { dangerButtonClass } from './form-classes';
import { messageOf } from './form';

interface Props {
  /** e.g. "Poster" */
  label: string;
  /** `/v1/admin/titles/<id>/images/poster` or `/v1/admin/people/<id>/images/photo` */
  path: string;
  image: ResponsiveImage | null;
  /** Width ÷ height of the preview box. */
  aspect: '2/3' | '16/9' | '1/1';
}

/** The image flow: start → PUT the bytes to the presigned URL → complete; then the API's rendition as preview. */
export function ImageUpload({ label, path, image, aspect }: Props) {
  const router = useRouter();
  const inputId = useId();
  const [localPreview, setLocalPreview] = useState<string | null>(null);
  const [status, setStatus] = useState<'idle' | 'uploading' | 'saved' | 'removing'>('idle');
  const [error, setError] = useState<string | null>(null);

  useEffect(() => () => void (localPreview && URL.revokeObjectURL(localPreview)), [localPreview]);

  async function upload(file: File) {
    setError(null);
    const contentType = IMAGE_CONTENT_TYPES.find((t) => t === file.type);
    if (!contentType) return setError('Pick a JPEG, PNG or WebP picture.');
    if (file.size > MAX_IMAGE_BYTES) return setError('The picture must be at most 10 MB.');
    setLocalPreview(URL.createObjectURL(file));
    setStatus('uploading');
    try {
      const grant = await api<ImageUploadGrant>(path, { method: 'POST', body: { contentType, size: file.size } });
      const put = await fetch(grant.upload.url, { method: 'PUT', headers: grant.upload.headers, body: file });
      if (!put.ok) throw new Error(`Storage refused the picture (HTTP ${put.status}).`);
      await api(`${path}/complete`, { method: 'POST', body: { uploadId: grant.uploadId } });
      setStatus('saved');
      router.refresh();
    } catch (err) {
      setError(messageOf(err));
      setStatus('idle');
    }
    setLocalPreview(null);
  }

  async function remove() {
    setStatus('removing');
    setError(null);
    try {
      await api(path, { method: 'DELETE' });
      router.refresh();
    } catch (err) {
      setError(messageOf(err));
    }
    setStatus('idle');
  }

  const jpeg = image?.sources.jpeg;
  const preview = localPreview ?? jpeg?.[Math.min(1, jpeg.length - 1)]?.url ?? null;
  return (
    <div className="grid content-start gap-2" data-image-slot={label.toLowerCase()}>
      <span className="text-sm font-semibold">{label}</span>
      <div
        className="relative w-full max-w-64 overflow-hidden rounded-md border border-line bg-ink bg-cover bg-center"
        style={{
          aspectRatio: aspect,
          backgroundImage: image && !localPreview ? `url(${image.placeholder})` : undefined,
        }}
      >
        {preview ? (
          <img src={preview} alt={`${label} preview`} className="absolute inset-0 size-full object-cover" />
        ) : (
          <span className="absolute inset-0 flex items-center justify-center text-sm text-muted">
            No {label.toLowerCase()}
          </span>
        )}
      </div>
      <label htmlFor={inputId} className="text-sm">
        {image ? `Replace the ${label.toLowerCase()}` : `Upload a ${label.toLowerCase()}`} (JPEG, PNG or WebP, up to 10
        MB)
      </label>
      <input
        id={inputId}
        type="file"
        accept={IMAGE_CONTENT_TYPES.join(',')}
        disabled={status === 'uploading'}
        className="text-sm"
        onChange={(e) => {
          const file = e.target.files?.[0];
          e.target.value = '';
          if (file) void upload(file);
        }}
      />
      <div aria-live="polite" className="text-sm">
        {status === 'uploading' ? <p>Uploading and rendering…</p> : null}
        {status === 'saved' ? <p className="text-ok">{label} saved.</p> : null}
        {error ? (
          <p role="alert" className="text-down">
            {error}
          </p>
        ) : null}
      </div>
      {image ? (
        <button
          type="button"
          className={`${dangerButtonClass} w-fit`}
          onClick={() => void remove()}
          disabled={status !== 'idle' && status !== 'saved'}
        >
          {status === 'removing' ? 'Removing…' : `Remove ${label.toLowerCase()}`}
        </button>
      ) : null}
    </div>
  );
}
