import { Autocomplete, SearchResults } from '@kush/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createGenre,
  createPerson,
  createProfile,
  createTitle,
  publishedTitle,
  setTitleStatus,
  signInCatalogStaff,
  type CreatedTitle,
} from '../../testing/catalog-factories';
import { registerViewer, type SignedIn } from '../../testing/factories';
import { createTestApp, type TestApp } from '../../testing/harness';
import { correctedQuery, searchTerms } from './search.service';

let t: TestApp;
let staff: SignedIn;
let jumper: CreatedTitle;
let kampala: CreatedTitle;
let katwe: CreatedTitle;
let adult: CreatedTitle;
let draft: CreatedTitle;
let scheduled: CreatedTitle;
let director: { id: string; slug: string; name: string };

const search = async (query: string, headers: Record<string, string> = {}) => {
  const res = await t.app.inject({ method: 'GET', url: `/api/v1/catalog/search?${query}`, headers });
  expect(res.statusCode, `${query}: ${res.body}`).toBe(200);
  return SearchResults.parse(res.json());
};
const suggest = async (q: string, query = '', headers: Record<string, string> = {}) => {
  const res = await t.app.inject({
    method: 'GET',
    url: `/api/v1/catalog/autocomplete?q=${encodeURIComponent(q)}${query}`,
    headers,
  });
  expect(res.statusCode, res.body).toBe(200);
  return Autocomplete.parse(res.json()).suggestions;
};
const ids = (items: { id: string }[]) => items.map((i) => i.id);

beforeAll(async () => {
  t = await createTestApp();
  staff = await signInCatalogStaff(t);
  director = await createPerson(t, staff, 'Ndagire Mbabazi-Okello');
  jumper = await publishedTitle(t, staff, {
    name: 'The Girl in the Yellow Jumper',
    synopsis: 'A village, a missing girl and a jumper the colour of sunflowers.',
    credits: [{ personId: director.id, role: 'director' }],
  });
  kampala = await publishedTitle(t, staff, {
    name: 'Kampalá Nights',
    synopsis: 'Boda boda riders race through the city after dark.',
  });
  katwe = await publishedTitle(t, staff, {
    name: 'Queen of Katwe',
    synopsis: 'A chess prodigy from the slums of Kampala.',
    maturityRating: 'PG',
  });
  adult = await publishedTitle(t, staff, { name: 'Yellow Fever Nights', maturityRating: '18' });
  draft = await createTitle(t, staff, {
    name: 'Yellow Jumper Secrets',
    synopsis: 'Kampala sunflowers.',
    credits: [{ personId: director.id, role: 'writer' }],
  });
  scheduled = await createTitle(t, staff, { name: 'Yellow Jumper Returns' });
  scheduled = await setTitleStatus(
    t,
    staff,
    scheduled.id,
    'scheduled',
    new Date(Date.now() + 86_400_000).toISOString(),
  );
});
afterAll(async () => {
  await t?.close();
});

describe('search', () => {
  it('finds "The Girl in the Yellow Jumper" from a misspelling', async () => {
    const { items } = await search('q=yelow%20jumpr');
    expect(items[0]?.id).toBe(jumper.id);
  });

  it('ignores accents and case both ways', async () => {
    expect(ids((await search('q=kampala nights')).items)[0]).toBe(kampala.id);
    expect(ids((await search('q=KAMPALÁ')).items)).toContain(kampala.id);
    // Accents typed where the title has none.
    expect(ids((await search(`q=${encodeURIComponent('Quéen of Kätwe')}`)).items)[0]).toBe(katwe.id);
    expect(ids(await suggest('quêen of kât'))[0]).toBe(katwe.id);
    // Synopsis words match too: "Kampala" appears in Queen of Katwe's synopsis.
    expect(ids((await search('q=kampala')).items)).toEqual(expect.arrayContaining([kampala.id, katwe.id]));
  });

  it('searches synopses and people, and lists matching people', async () => {
    expect(ids((await search('q=sunflowers')).items)).toEqual([jumper.id]);
    const byPerson = await search('q=ndagire%20mbabazi');
    expect(ids(byPerson.items)).toEqual([jumper.id]);
    expect(byPerson.people).toEqual([{ id: director.id, slug: director.slug, name: director.name, photo: null }]);
    expect(ids((await search('q=chess%20prodigy')).items)).toEqual([katwe.id]);
  });

  it("corrects misspelt synopsis words to the catalog's words, never revealing drafts", async () => {
    const ward = await publishedTitle(t, staff, {
      name: 'Night Shift',
      synopsis: 'A young nurse keeps Mulago hospital running until dawn.',
    });
    const hospital = await publishedTitle(t, staff, { name: 'Hospital', synopsis: 'Doctors and their patients.' });
    const secret = await createTitle(t, staff, {
      name: 'Unreleased',
      synopsis: 'A haunted orphanage on the lakeshore.',
    });
    // Synopsis-only words, misspelt: found through the corrected word.
    expect(ids((await search('q=hospitl')).items)).toContain(ward.id);
    expect(ids((await search('q=nurse%20mulgo')).items)).toEqual([ward.id]);
    expect(ids((await search('q=young%20hospitl%20dawn')).items)).toEqual([ward.id]);
    // The exact title still comes first.
    expect(ids((await search('q=hospital')).items)).toEqual([hospital.id, ward.id]);
    expect(ids((await search('q=hospitl')).items)[0]).toBe(hospital.id);
    // A draft's words are known to the speller, but the draft is never found.
    for (const q of ['orphanage', 'orphanag', 'orphenage', 'haunted lakeshor', 'hauntd']) {
      expect(ids((await search(`q=${q}`)).items), q).not.toContain(secret.id);
    }
    // Unrelated words find nothing.
    for (const q of ['zebra', 'xylophone', 'quantum%20physics']) {
      expect((await search(`q=${q}`)).items, q).toEqual([]);
    }
  });

  it('never returns drafts or scheduled titles', async () => {
    for (const q of ['yellow jumper', 'secrets', 'returns', 'sunflowers']) {
      const found = ids((await search(`q=${encodeURIComponent(q)}`)).items);
      expect(found, q).not.toContain(draft.id);
      expect(found, q).not.toContain(scheduled.id);
    }
  });

  it('respects the maturity limit, from the query or the profile', async () => {
    expect(ids((await search('q=yellow')).items)).toContain(adult.id);
    expect(ids((await search('q=yellow&maturity=16')).items)).not.toContain(adult.id);
    const viewer = await registerViewer(t);
    const kids = await createProfile(t, viewer.userId, { isKids: true });
    const found = await search('q=yellow', { ...viewer.auth, 'x-profile-id': kids.id });
    expect(ids(found.items)).toEqual([jumper.id]);
  });

  it('pages with a cursor bound to the query', async () => {
    const first = await search('q=nights&limit=1');
    expect(first.items).toHaveLength(1);
    expect(first.nextCursor).not.toBeNull();
    const second = await search(`q=nights&limit=1&cursor=${encodeURIComponent(first.nextCursor!)}`);
    expect(second.people).toEqual([]);
    expect(ids([...first.items, ...second.items]).sort()).toEqual([kampala.id, adult.id].sort());
    const elsewhere = await t.app.inject({
      method: 'GET',
      url: `/api/v1/catalog/search?q=yellow&cursor=${encodeURIComponent(first.nextCursor!)}`,
    });
    expect(elsewhere.statusCode).toBe(400);
    // Edited, forged (a deep offset without the seal) or oversize: 400 in the API's error format.
    const [payload, check] = first.nextCursor!.split('.') as [string, string];
    const edited = `${payload.slice(0, -2)}${payload.at(-2) === 'A' ? 'B' : 'A'}${payload.at(-1)}.${check}`;
    const forged = `${Buffer.from(JSON.stringify({ s: JSON.parse(Buffer.from(payload, 'base64url').toString()).s, k: ['9999'] })).toString('base64url')}.${check}`;
    for (const bad of [edited, forged, `${first.nextCursor}.x`, 'x'.repeat(513)]) {
      const res = await t.app.inject({
        method: 'GET',
        url: `/api/v1/catalog/search?q=nights&limit=1&cursor=${encodeURIComponent(bad)}`,
      });
      expect(res.statusCode, bad.slice(0, 30)).toBe(400);
      expect(res.json().error).toMatchObject({ code: 'VALIDATION_FAILED', requestId: expect.any(String) });
    }
  });

  it('narrows results with the listing filters, and binds cursors to them', async () => {
    const drama = await createGenre(t, staff, 'Mbarara Drama');
    const sunrise = await publishedTitle(t, staff, {
      name: 'Mbarara Sunrise',
      year: 2019,
      runtimeMinutes: 95,
      accessTier: 'free',
      audioLanguages: ['lg'],
      genreIds: [drama.id],
    });
    const sunset = await publishedTitle(t, staff, {
      name: 'Mbarara Sunset',
      year: 2023,
      runtimeMinutes: 40,
      accessTier: 'premium',
      audioLanguages: ['en'],
    });
    const found = async (filters: string) => ids((await search(`q=mbarara${filters}`)).items).sort();
    expect(await found('')).toEqual([sunrise.id, sunset.id].sort());
    expect(await found('&yearFrom=2020')).toEqual([sunset.id]);
    expect(await found('&yearTo=2020')).toEqual([sunrise.id]);
    expect(await found('&tier=premium')).toEqual([sunset.id]);
    expect(await found('&audio=lg')).toEqual([sunrise.id]);
    expect(await found('&runtimeMax=60')).toEqual([sunset.id]);
    expect(await found(`&genre=${drama.slug}`)).toEqual([sunrise.id]);
    expect(await found('&tier=free&yearFrom=2020')).toEqual([]);

    const first = await search('q=mbarara&limit=1');
    const filtered = await t.app.inject({
      method: 'GET',
      url: `/api/v1/catalog/search?q=mbarara&tier=free&limit=1&cursor=${encodeURIComponent(first.nextCursor!)}`,
    });
    expect(filtered.statusCode, 'a cursor from unfiltered results').toBe(400);
    for (const query of ['q=x&yearFrom=2024&yearTo=2020', 'q=x&runtimeMin=90&runtimeMax=30', 'q=x&tier=gold']) {
      const res = await t.app.inject({ method: 'GET', url: `/api/v1/catalog/search?${query}` });
      expect(res.statusCode, query).toBe(400);
      expect(res.json().error.code).toBe('VALIDATION_FAILED');
    }
  });

  it('answers punctuation-only queries with nothing, and refuses bad parameters', async () => {
    expect(await search('q=%21%21%21')).toEqual({ items: [], people: [], nextCursor: null });
    expect(await search(`q=${encodeURIComponent("' or 1=1 --")}`)).toMatchObject({ items: [] });
    for (const query of [
      '',
      'q=',
      'q=%20%20',
      `q=${'a'.repeat(101)}`,
      'q=x&limit=51',
      'q=x&sort=az',
      'q=x&cursor=abc',
    ]) {
      const res = await t.app.inject({ method: 'GET', url: `/api/v1/catalog/search?${query}` });
      expect(res.statusCode, query).toBe(400);
    }
  });
});

describe('autocomplete', () => {
  it('suggests titles from a prefix and people by name, never drafts or scheduled titles', async () => {
    const yel = await suggest('yel');
    expect(ids(yel)).toEqual(expect.arrayContaining([jumper.id, adult.id]));
    expect(ids(yel)).not.toContain(draft.id);
    expect(ids(yel)).not.toContain(scheduled.id);
    expect((await suggest('queen of kat'))[0]).toMatchObject({ kind: 'title', id: katwe.id, slug: katwe.slug });
    expect(await suggest('ndagire')).toContainEqual({
      kind: 'person',
      id: director.id,
      slug: director.slug,
      name: director.name,
      year: null,
    });
    expect(await suggest('zzqx')).toEqual([]);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/catalog/autocomplete?q=yel&limit=11' })).statusCode).toBe(
      400,
    );
  });
});

describe('what viewers may not see', () => {
  it('hides archived titles from search and autocomplete', async () => {
    const faded = await publishedTitle(t, staff, { name: 'Ssese Islands Farewell', synopsis: 'Ferries at dusk.' });
    expect(ids((await search('q=ssese%20islands')).items)).toEqual([faded.id]);
    expect(ids(await suggest('ssese isl'))).toEqual([faded.id]);
    await setTitleStatus(t, staff, faded.id, 'archived');
    for (const q of ['ssese islands', 'sese ilands', 'ferries dusk']) {
      expect(ids((await search(`q=${encodeURIComponent(q)}`)).items), q).not.toContain(faded.id);
    }
    expect(ids(await suggest('ssese isl'))).not.toContain(faded.id);
  });

  it('never suggests a title above the profile limit or the asked one', async () => {
    const viewer = await registerViewer(t);
    const kids = await createProfile(t, viewer.userId, { isKids: true, maturityLimit: '18' });
    const teen = await createProfile(t, viewer.userId, { maturityLimit: '16' });
    const as = (profileId: string) => ({ ...viewer.auth, 'x-profile-id': profileId });
    expect(ids(await suggest('yel'))).toContain(adult.id);
    expect(ids(await suggest('yel', '&maturity=16'))).not.toContain(adult.id);
    for (const profile of [kids, teen]) {
      // Asking for more than the profile allows changes nothing.
      const found = ids(await suggest('yel', '&maturity=18', as(profile.id)));
      expect(found).toContain(jumper.id);
      expect(found).not.toContain(adult.id);
      expect(ids((await search('q=yellow%20fever&maturity=18', as(profile.id))).items)).not.toContain(adult.id);
    }
    // The kids profile only sees G and PG: Queen of Katwe (PG) yes, an unrated-for-children 13 no.
    const teenFilm = await publishedTitle(t, staff, { name: 'Katwe Teen Years', maturityRating: '13' });
    const forKids = ids(await suggest('katwe', '', as(kids.id)));
    expect(forKids).toContain(katwe.id);
    expect(forKids).not.toContain(teenFilm.id);
    expect(ids(await suggest('katwe', '', as(teen.id)))).toContain(teenFilm.id);
  });

  it('lists or suggests no person credited only on titles viewers cannot see', async () => {
    const hidden = await createPerson(t, staff, 'Wokulira Ssebaggala');
    await createTitle(t, staff, { name: 'Unseen Work', credits: [{ personId: hidden.id, role: 'director' }] });
    const adultOnly = await createPerson(t, staff, 'Akiiki Tumusiime');
    await publishedTitle(t, staff, {
      name: 'Late Shift',
      maturityRating: '18',
      credits: [{ personId: adultOnly.id, role: 'actor' }],
    });
    expect((await search('q=wokulira%20ssebaggala')).people).toEqual([]);
    expect(ids(await suggest('wokulira'))).not.toContain(hidden.id);
    expect(ids((await search('q=akiiki')).people)).toEqual([adultOnly.id]);
    expect(ids(await suggest('akiiki'))).toContain(adultOnly.id);
    expect((await search('q=akiiki&maturity=16')).people).toEqual([]);
    expect(ids(await suggest('akiiki', '&maturity=16'))).not.toContain(adultOnly.id);
  });
});

describe('search terms', () => {
  it('keeps letters and digits only, folded, the last word as a prefix', () => {
    expect(searchTerms('Kampalá  Nights!')).toEqual({
      text: 'Kampalá  Nights!',
      prefixQuery: 'kampala & nights:*',
      words: ['kampala', 'nights'],
    });
    expect(searchTerms("'); drop table titles; --")).toMatchObject({ prefixQuery: 'drop & table & titles:*' });
    expect(searchTerms('!!! ???')).toBeNull();
    expect(searchTerms('Ébène 2')?.prefixQuery).toBe('ebene & 2:*');
  });
});

describe('corrected query', () => {
  it('widens misspelt words to their corrections, letters and digits only', () => {
    const corrections = new Map([
      ['hospitl', ['hospital', 'hospitals']],
      ['kampla', ['kampala', "x') | (y"]],
    ]);
    expect(correctedQuery(['nurse', 'hospitl'], corrections)).toBe('nurse & (hospitl:* | hospital | hospitals)');
    expect(correctedQuery(['kampla', 'nights'], corrections)).toBe('(kampla | kampala) & nights:*');
    expect(correctedQuery(['kampala', 'nights'], corrections)).toBeNull();
  });
});
