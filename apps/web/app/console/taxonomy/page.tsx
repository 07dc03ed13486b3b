import { loadGenres, loadLanguages } from '@/components/console/reference-data';
import { requirePermission } from '@/components/console/session';
import { DeleteGenre, GenreForm, LanguageForm } from '@/components/console/taxonomy-manager';
import { PageHeader, Panel } from '@/components/console/ui';

export const metadata = { title: 'Genres & languages' };

export default async function TaxonomyPage() {
  await requirePermission('catalog:manage');
  const [genres, languages] = await Promise.all([loadGenres(), loadLanguages()]);
  return (
    <>
      <PageHeader
        title="Genres & languages"
        description="What titles are tagged with, and the languages they are heard and subtitled in."
      />
      <div className="grid gap-6">
        <Panel title="Genres" id="genres">
          <ul className="grid gap-4">
            {genres.map((g) => (
              <li key={g.id} className="grid gap-2 border-b border-line pb-4">
                <GenreForm genre={g} />
                <DeleteGenre genre={g} />
              </li>
            ))}
          </ul>
          <h3 className="mt-4 mb-2 font-semibold">Add a genre</h3>
          <GenreForm />
        </Panel>
        <Panel title="Languages" id="languages">
          <ul className="grid gap-4">
            {languages.map((l) => (
              <li key={l.code} className="border-b border-line pb-4">
                <LanguageForm language={l} />
              </li>
            ))}
          </ul>
          <h3 className="mt-4 mb-2 font-semibold">Add a language</h3>
          <LanguageForm />
        </Panel>
      </div>
    </>
  );
}
