'use client';
import { useRouter } from 'next/navigation';
import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { BANNER_CONTENT_TYPES, BANNER_MAX_BYTES, BANNER_SIZES } from '@kush/contracts';
import { api, ApiError } from '@/lib/api/browser';
import { FieldError, FormStatus, SelectField, SubmitButton, TextField, useSave } from '../form';
import { clickUrlProblem } from './format';
import type { AdCreatedCreative, AdCreative } from './types';

type BannerSize = (typeof BANNER_SIZES)[number];

const SIZE_LABEL: Record<BannerSize, string> = {
  '300x250': '300×250 · home and title pages',
  '320x50': '320×50 · under the player',
  '728x90': '728×90 · top of the home page',
};

function problems(details: { path: string; message: string }[]): ApiError {
  return new ApiError(400, 'VALIDATION_FAILED', 'Check the highlighted fields.', details);
}

/** The picture's own pixel size, read in the browser before anything is uploaded. */
async function pixelSize(file: File): Promise<{ width: number; height: number } | null> {
  try {
    const bitmap = await createImageBitmap(file);
    const size = { width: bitmap.width, height: bitmap.height };
    bitmap.close();
    return size;
  } catch {
    return null;
  }
}

/**
 * A banner: the image goes straight to storage by the presigned URL, then the API checks its type
 * and exact size and activates it. The same checks run here first, so a wrong picture is refused
 * before a creative is made for it.
 */
export function BannerCreativeForm({ campaignId }: { campaignId: string }) {
  const router = useRouter();
  const fileId = useId();
  const { state, run, saving, fieldErrors } = useSave();
  const [name, setName] = useState('');
  const [size, setSize] = useState<BannerSize>('300x250');
  const [clickUrl, setClickUrl] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [preview, setPreview] = useState<string | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);

  useEffect(() => () => void (preview && URL.revokeObjectURL(preview)), [preview]);

  async function checked() {
    const bad: { path: string; message: string }[] = [];
    if (!name.trim()) bad.push({ path: 'name', message: 'Give the banner a name.' });
    const urlProblem = clickUrlProblem(clickUrl);
    if (urlProblem) bad.push({ path: 'clickUrl', message: urlProblem });
    const [width, height] = size.split('x').map(Number) as [number, number];
    const contentType = BANNER_CONTENT_TYPES.find((t) => t === file?.type);
    if (!file) bad.push({ path: 'image', message: `Choose a ${width}×${height} PNG, JPEG or WebP image.` });
    else if (!contentType) bad.push({ path: 'image', message: 'The image must be a PNG, JPEG or WebP file.' });
    else if (file.size > BANNER_MAX_BYTES) {
      bad.push({
        path: 'image',
        message: `The image is ${Math.ceil(file.size / 1024)} KB; banners can be at most 300 KB.`,
      });
    } else {
      const actual = await pixelSize(file);
      if (!actual) bad.push({ path: 'image', message: 'That file is not an image this browser can read.' });
      else if (actual.width !== width || actual.height !== height) {
        bad.push({
          path: 'image',
          message: `The image is ${actual.width}×${actual.height}; a ${width}×${height} banner must be exactly that size.`,
        });
      }
    }
    if (bad.length) throw problems(bad);
    return { file: file!, contentType: contentType! };
  }

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    const added = await run(async () => {
      const image = await checked();
      const created = await api<AdCreatedCreative>(`/v1/admin/ads/campaigns/${campaignId}/creatives`, {
        method: 'POST',
        body: {
          kind: 'banner',
          name: name.trim(),
          size,
          clickUrl: clickUrl.trim(),
          contentType: image.contentType,
          contentLength: image.file.size,
        },
      });
      const upload = created.upload!;
      let stored: Response;
      try {
        stored = await fetch(upload.url, { method: 'PUT', headers: upload.headers, body: image.file });
      } catch {
        throw new Error('The connection dropped during the upload. Add the banner again.');
      }
      if (!stored.ok) throw new Error(`Storage refused the image (HTTP ${stored.status}). Add the banner again.`);
      return api<AdCreative>(`/v1/admin/ads/campaigns/${campaignId}/creatives/${created.creative.id}/image/complete`, {
        method: 'POST',
      });
    }, 'Banner added and active.');
    if (added) {
      setName('');
      setClickUrl('');
      setFile(null);
      setPreview(null);
      if (fileInput.current) fileInput.current.value = '';
      router.refresh();
    }
  }

  const imageErrors = [
    ...(fieldErrors.image ?? []),
    ...(fieldErrors.contentType ?? []),
    ...(fieldErrors.contentLength ?? []),
  ];
  const [width, height] = size.split('x');
  return (
    <form
      onSubmit={(e) => void onSubmit(e)}
      noValidate
      className="grid grid-cols-1 gap-4"
      aria-label="Add a banner"
      data-banner-creative-form
    >
      <div className="grid grid-cols-1 gap-4 sm:grid-cols-2">
        <TextField
          label="Banner name"
          value={name}
          maxLength={120}
          onChange={(e) => setName(e.target.value)}
          errors={fieldErrors.name}
        />
        <SelectField
          label="Banner size"
          value={size}
          onChange={(e) => setSize(e.target.value as BannerSize)}
          options={BANNER_SIZES.map((s) => ({ value: s, label: SIZE_LABEL[s] }))}
          errors={fieldErrors.size}
        />
        <TextField
          label="Banner click-through URL"
          type="url"
          inputMode="url"
          placeholder="https://"
          value={clickUrl}
          onChange={(e) => setClickUrl(e.target.value)}
          hint="http:// or https:// only"
          errors={fieldErrors.clickUrl}
        />
        <div>
          <label htmlFor={fileId} className="mb-1 block text-sm font-semibold">
            Banner image
          </label>
          <input
            id={fileId}
            ref={fileInput}
            type="file"
            accept={BANNER_CONTENT_TYPES.join(',')}
            disabled={saving}
            aria-describedby={`${fileId}-hint${imageErrors.length ? ` ${fileId}-error` : ''}`}
            aria-invalid={imageErrors.length ? true : undefined}
            className="text-sm file:mr-3 file:min-h-11 file:rounded-md file:border file:border-line file:bg-surface-raised file:px-3 file:text-fg"
            onChange={(e) => {
              const picked = e.target.files?.[0] ?? null;
              setFile(picked);
              setPreview(picked ? URL.createObjectURL(picked) : null);
            }}
          />
          <p id={`${fileId}-hint`} className="mt-1 text-xs text-muted">
            Exactly {width}×{height} pixels; PNG, JPEG or WebP up to 300 KB.
          </p>
          <FieldError id={`${fileId}-error`} errors={imageErrors} />
        </div>
      </div>
      {preview ? (
        <div className="max-w-full overflow-x-auto">
          <img
            src={preview}
            alt="Chosen banner image"
            className="h-auto max-w-full rounded border border-line"
            style={{ width: `${width}px` }}
          />
        </div>
      ) : null}
      <div className="flex flex-wrap items-center gap-4">
        <SubmitButton saving={saving} savingText="Uploading…">
          Upload and add banner
        </SubmitButton>
        <FormStatus state={state} />
      </div>
    </form>
  );
}
