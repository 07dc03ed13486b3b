'use client';
import { useRouter } from 'next/navigation';
import { type FormEvent, useState } from 'react';
import { AD_AUDIENCES, AD_DEVICES, MATURITY_RATING_VALUES } from '@kush/contracts';
import { api, ApiError } from '@/lib/api/browser';
import { CheckboxGroup, FieldError, FormStatus, SelectField, SubmitButton, TextField, useSave } from '../form';
import { kampalaInputToUtc, utcToKampalaInput } from '../kampala';
import type { Genre, Language } from '../types';
import { AUDIENCE_LABEL, DEVICE_LABEL } from './format';
import type { AdCampaign } from './types';

interface Props {
  /** Absent: the form books a new campaign. */
  campaign?: AdCampaign;
  genres: Genre[];
  categories: { slug: string; name: string }[];
  languages: Language[];
  /** When the page was rendered (server and browser must agree on a new campaign's default dates). */
  now: string;
}

type Budget = AdCampaign['budget']['kind'];
type Pacing = AdCampaign['pacing'];
type Audience = AdCampaign['targeting']['audience'];
type Device = AdCampaign['targeting']['devices'][number];
type Maturity = NonNullable<AdCampaign['targeting']['maxMaturity']>;

const DAY_MS = 86_400_000;
const text = (n: number | null | undefined) => (n === null || n === undefined ? '' : String(n));

/** Problems found before asking the API, in the API's own error shape so they show beside their fields. */
function problems(details: { path: string; message: string }[]): ApiError {
  return new ApiError(400, 'VALIDATION_FAILED', 'Check the highlighted fields.', details);
}

/** A whole number from a field; blank is null (an optional cap), anything else not whole is an error. */
function wholeNumber(value: string): number | null | 'bad' {
  const trimmed = value.trim();
  if (trimmed === '') return null;
  return /^\d+$/.test(trimmed) ? Number(trimmed) : 'bad';
}

/** Book or change a campaign: dates in Kampala time, budget with CPM, pacing, priority, targeting and caps. */
export function CampaignForm({ campaign, genres, categories, languages, now }: Props) {
  const router = useRouter();
  const { state, run, saving, fieldErrors } = useSave();
  // A new campaign starts at the next full hour and runs for 30 days.
  const nextHour = Math.ceil(Date.parse(now) / 3_600_000) * 3_600_000;
  const [advertiser, setAdvertiser] = useState(campaign?.advertiser ?? '');
  const [name, setName] = useState(campaign?.name ?? '');
  const [startsAt, setStartsAt] = useState(utcToKampalaInput(campaign?.startsAt ?? new Date(nextHour).toISOString()));
  const [endsAt, setEndsAt] = useState(
    utcToKampalaInput(campaign?.endsAt ?? new Date(nextHour + 30 * DAY_MS).toISOString()),
  );
  const [budgetKind, setBudgetKind] = useState<Budget>(campaign?.budget.kind ?? 'impressions');
  const [budgetAmount, setBudgetAmount] = useState(text(campaign?.budget.amount));
  const [cpm, setCpm] = useState(text(campaign?.cpm));
  const [pacing, setPacing] = useState<Pacing>(campaign?.pacing ?? 'even');
  const [priority, setPriority] = useState(text(campaign?.priority ?? 5));
  const targeting = campaign?.targeting;
  const [genreSlugs, setGenreSlugs] = useState<string[]>(targeting?.genres ?? []);
  const [categorySlugs, setCategorySlugs] = useState<string[]>(targeting?.categories ?? []);
  const [audioLanguages, setAudioLanguages] = useState<string[]>(targeting?.audioLanguages ?? []);
  const [maxMaturity, setMaxMaturity] = useState<Maturity | ''>(targeting?.maxMaturity ?? '');
  const [devices, setDevices] = useState<string[]>(targeting?.devices ?? []);
  const [audience, setAudience] = useState<Audience>(targeting?.audience ?? 'any');
  const caps = campaign?.frequencyCaps;
  const [perHour, setPerHour] = useState(text(caps?.perHour));
  const [perDay, setPerDay] = useState(text(caps?.perDay));
  const [lifetime, setLifetime] = useState(text(caps?.lifetime));

  function body() {
    const bad: { path: string; message: string }[] = [];
    const start = kampalaInputToUtc(startsAt);
    const end = kampalaInputToUtc(endsAt);
    if (!start) bad.push({ path: 'startsAt', message: 'Enter the date and time the campaign starts.' });
    if (!end) bad.push({ path: 'endsAt', message: 'Enter the date and time the campaign ends.' });
    const numbers = { budget: wholeNumber(budgetAmount), cpm: wholeNumber(cpm), priority: wholeNumber(priority) };
    for (const [path, value] of Object.entries(numbers)) {
      if (value === null || value === 'bad') bad.push({ path, message: 'Enter a whole number.' });
    }
    const capValues = { perHour: wholeNumber(perHour), perDay: wholeNumber(perDay), lifetime: wholeNumber(lifetime) };
    for (const [key, value] of Object.entries(capValues)) {
      if (value === 'bad') bad.push({ path: `frequencyCaps.${key}`, message: 'a whole number, or empty for no cap' });
    }
    if (bad.length) throw problems(bad);
    const cap = (v: number | null | 'bad') => (v === 'bad' ? null : v);
    return {
      advertiser,
      name,
      startsAt: start!,
      endsAt: end!,
      budget:
        budgetKind === 'money'
          ? { kind: 'money' as const, amount: numbers.budget as number, currency: 'UGX' as const }
          : { kind: 'impressions' as const, amount: numbers.budget as number },
      cpm: numbers.cpm as number,
      pacing,
      priority: numbers.priority as number,
      targeting: {
        genres: genreSlugs,
        categories: categorySlugs,
        audioLanguages,
        maxMaturity: maxMaturity || null,
        devices: devices as Device[],
        audience,
      },
      frequencyCaps: {
        perHour: cap(capValues.perHour),
        perDay: cap(capValues.perDay),
        lifetime: cap(capValues.lifetime),
      },
    };
  }

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (campaign) {
      const saved = await run(
        async () => api<AdCampaign>(`/v1/admin/ads/campaigns/${campaign.id}`, { method: 'PATCH', body: body() }),
        'Saved.',
      );
      if (saved) router.refresh();
    } else {
      const created = await run(
        async () => api<AdCampaign>('/v1/admin/ads/campaigns', { method: 'POST', body: body() }),
        'Booked. Opening the campaign…',
      );
      if (created) router.push(`/console/ads/${created.id}`);
    }
  }

  const languageOptions = languages.map((l) => ({ value: l.code, label: `${l.name} (${l.code})` }));
  return (
    <form
      onSubmit={(e) => void onSubmit(e)}
      noValidate
      className="grid grid-cols-1 gap-6"
      aria-label="Campaign details"
    >
      <div className="grid grid-cols-1 gap-4 sm:grid-cols-2">
        <TextField
          label="Advertiser"
          name="advertiser"
          required
          maxLength={120}
          value={advertiser}
          onChange={(e) => setAdvertiser(e.target.value)}
          errors={fieldErrors.advertiser}
        />
        <TextField
          label="Campaign name"
          name="name"
          required
          maxLength={120}
          value={name}
          onChange={(e) => setName(e.target.value)}
          errors={fieldErrors.name}
        />
        <TextField
          label="Starts (Kampala time)"
          name="startsAt"
          type="datetime-local"
          required
          value={startsAt}
          onChange={(e) => setStartsAt(e.target.value)}
          errors={fieldErrors.startsAt}
        />
        <TextField
          label="Ends (Kampala time)"
          name="endsAt"
          type="datetime-local"
          required
          value={endsAt}
          onChange={(e) => setEndsAt(e.target.value)}
          errors={fieldErrors.endsAt}
        />
      </div>

      <fieldset className="grid min-w-0 grid-cols-1 gap-4 rounded-lg border border-line p-3 sm:grid-cols-2 sm:p-4">
        <legend className="px-1 text-sm font-semibold">Budget and delivery</legend>
        <SelectField
          label="Budget in"
          name="budgetKind"
          value={budgetKind}
          onChange={(e) => setBudgetKind(e.target.value as Budget)}
          options={[
            { value: 'impressions', label: 'Impressions' },
            { value: 'money', label: 'Money (UGX)' },
          ]}
        />
        <TextField
          label={budgetKind === 'money' ? 'Budget (UGX)' : 'Budget (impressions)'}
          name="budgetAmount"
          type="number"
          inputMode="numeric"
          min={1}
          required
          value={budgetAmount}
          onChange={(e) => setBudgetAmount(e.target.value)}
          errors={fieldErrors.budget}
        />
        <TextField
          label="CPM (UGX per 1,000 impressions)"
          name="cpm"
          type="number"
          inputMode="numeric"
          min={1}
          required
          value={cpm}
          onChange={(e) => setCpm(e.target.value)}
          errors={fieldErrors.cpm}
        />
        <TextField
          label="Priority (1–10)"
          name="priority"
          type="number"
          inputMode="numeric"
          min={1}
          max={10}
          value={priority}
          onChange={(e) => setPriority(e.target.value)}
          hint="Higher wins; equal priorities share the traffic."
          errors={fieldErrors.priority}
        />
        <SelectField
          label="Pacing"
          name="pacing"
          value={pacing}
          onChange={(e) => setPacing(e.target.value as Pacing)}
          options={[
            { value: 'even', label: 'Even: spread over the dates' },
            { value: 'asap', label: 'As fast as possible' },
          ]}
          errors={fieldErrors.pacing}
        />
      </fieldset>

      <fieldset className="grid min-w-0 grid-cols-1 gap-4 rounded-lg border border-line p-3 sm:p-4">
        <legend className="px-1 text-sm font-semibold">Targeting</legend>
        <p className="text-xs text-muted">Leave a group empty to show the ads everywhere it covers.</p>
        <CheckboxGroup
          legend="Genres"
          options={genres.map((g) => ({ value: g.slug, label: g.name }))}
          selected={genreSlugs}
          onChange={setGenreSlugs}
        />
        <CheckboxGroup
          legend="Categories"
          options={categories.map((c) => ({ value: c.slug, label: c.name }))}
          selected={categorySlugs}
          onChange={setCategorySlugs}
        />
        <CheckboxGroup
          legend="Audio languages"
          options={languageOptions}
          selected={audioLanguages}
          onChange={setAudioLanguages}
        />
        <CheckboxGroup
          legend="Devices"
          options={AD_DEVICES.map((d) => ({ value: d, label: DEVICE_LABEL[d] ?? d }))}
          selected={devices}
          onChange={setDevices}
        />
        <div className="grid grid-cols-1 gap-4 sm:grid-cols-2">
          <SelectField
            label="Highest maturity rating"
            name="maxMaturity"
            value={maxMaturity}
            onChange={(e) => setMaxMaturity(e.target.value as Maturity | '')}
            options={[
              { value: '', label: 'Any rating' },
              ...MATURITY_RATING_VALUES.map((r) => ({ value: r, label: `Up to ${r}` })),
            ]}
          />
          <SelectField
            label="Audience"
            name="audience"
            value={audience}
            onChange={(e) => setAudience(e.target.value as Audience)}
            options={AD_AUDIENCES.map((a) => ({ value: a, label: AUDIENCE_LABEL[a] ?? a }))}
          />
        </div>
        <FieldError errors={fieldErrors.targeting} />
      </fieldset>

      <fieldset className="grid min-w-0 grid-cols-1 gap-4 rounded-lg border border-line p-3 sm:grid-cols-3 sm:p-4">
        <legend className="px-1 text-sm font-semibold">Frequency caps per viewer</legend>
        <TextField
          label="Per hour"
          name="perHour"
          type="number"
          inputMode="numeric"
          min={1}
          max={1000}
          value={perHour}
          onChange={(e) => setPerHour(e.target.value)}
          hint="Empty: no cap"
        />
        <TextField
          label="Per day"
          name="perDay"
          type="number"
          inputMode="numeric"
          min={1}
          max={1000}
          value={perDay}
          onChange={(e) => setPerDay(e.target.value)}
          hint="Empty: no cap"
        />
        <TextField
          label="Lifetime"
          name="lifetime"
          type="number"
          inputMode="numeric"
          min={1}
          max={1000}
          value={lifetime}
          onChange={(e) => setLifetime(e.target.value)}
          hint="Empty: no cap"
        />
        <div className="sm:col-span-3">
          <FieldError errors={fieldErrors.frequencyCaps} />
        </div>
      </fieldset>

      <FieldError errors={fieldErrors._} />
      <div className="flex flex-wrap items-center gap-4">
        <SubmitButton saving={saving}>{campaign ? 'Save changes' : 'Book campaign'}</SubmitButton>
        <FormStatus state={state} />
      </div>
    </form>
  );
}
