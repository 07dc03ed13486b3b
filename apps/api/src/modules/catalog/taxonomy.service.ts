import { AppError } from '@kush/contracts';
import { iso } from './catalog.mapper';
import { claimSlug, withUniqueSlug } from './slugs';
import type { CatalogWriter, StaffContext } from './staff-change';
import * as repo from './taxonomy.repository';

/** Staff management of genres, categories (ordered home rows) and languages. Every change is audited. */
export class TaxonomyService {
  constructor(private readonly writer: CatalogWriter) {}

  // Genres

  async createGenre(body: { name: string; slug?: string }, staff: StaffContext) {
    return this.writer.change(staff, async (tx, audit) => {
      const slug = await claimSlug(tx, 'genres', body.slug, body.name);
      const row = await withUniqueSlug('genres_slug_key', () => repo.insertGenre(tx, { name: body.name, slug }));
      await audit({ action: 'genre.create', entityType: 'genre', entityId: row.id, after: row });
      return toGenre(row);
    });
  }

  async updateGenre(id: string, body: { name?: string; slug?: string }, staff: StaffContext) {
    return this.writer.change(staff, async (tx, audit) => {
      const before = await repo.findGenre(tx, id);
      if (!before) throw new AppError('NOT_FOUND', 'No such genre.');
      const slug = body.slug && body.slug !== before.slug ? await claimSlug(tx, 'genres', body.slug, '') : undefined;
      const row = await withUniqueSlug('genres_slug_key', () => repo.updateGenre(tx, id, { name: body.name, slug }));
      await audit({ action: 'genre.update', entityType: 'genre', entityId: id, before, after: row });
      return toGenre(row);
    });
  }

  async removeGenre(id: string, staff: StaffContext): Promise<void> {
    await this.writer.change(staff, async (tx, audit) => {
      const before = await repo.findGenre(tx, id);
      if (!before) throw new AppError('NOT_FOUND', 'No such genre.');
      await repo.deleteGenre(tx, id);
      await audit({ action: 'genre.delete', entityType: 'genre', entityId: id, before });
    });
  }

  // Categories

  async listCategories() {
    const db = this.writer.reader;
    const [rows, titles] = await Promise.all([repo.listCategories(db), repo.titleIdsByCategory(db)]);
    return { items: rows.map((row) => toStaffCategory(row, titles.get(row.id) ?? [])) };
  }

  async createCategory(body: { name: string; slug?: string; description?: string | null }, staff: StaffContext) {
    return this.writer.change(staff, async (tx, audit) => {
      const slug = await claimSlug(tx, 'categories', body.slug, body.name);
      const row = await withUniqueSlug('categories_slug_key', () => repo.insertCategory(tx, { ...body, slug }));
      await audit({ action: 'category.create', entityType: 'category', entityId: row.id, after: row });
      return toStaffCategory(row, []);
    });
  }

  async updateCategory(
    id: string,
    body: { name?: string; slug?: string; description?: string | null },
    staff: StaffContext,
  ) {
    return this.writer.change(staff, async (tx, audit) => {
      const before = await repo.findCategory(tx, id);
      if (!before) throw categoryNotFound();
      const { slug, ...values } = body;
      const changes = {
        ...values,
        ...(slug && slug !== before.slug ? { slug: await claimSlug(tx, 'categories', slug, '') } : {}),
      };
      const row = await withUniqueSlug('categories_slug_key', () => repo.updateCategory(tx, id, changes));
      await audit({ action: 'category.update', entityType: 'category', entityId: id, before, after: row });
      return toStaffCategory(row, (await repo.titleIdsByCategory(tx, [id])).get(id) ?? []);
    });
  }

  async removeCategory(id: string, staff: StaffContext): Promise<void> {
    await this.writer.change(staff, async (tx, audit) => {
      const before = await repo.findCategory(tx, id);
      if (!before) throw categoryNotFound();
      const titleIds = (await repo.titleIdsByCategory(tx, [id])).get(id) ?? [];
      await repo.deleteCategory(tx, id);
      await audit({ action: 'category.delete', entityType: 'category', entityId: id, before: { ...before, titleIds } });
    });
  }

  /** Sets the order of the home page's rows; `ids` must list every category exactly once. */
  async reorderCategories(ids: string[], staff: StaffContext) {
    await this.writer.change(staff, async (tx, audit) => {
      const current = await repo.listCategories(tx, { lock: true });
      const known = new Set(current.map((c) => c.id));
      if (ids.length !== known.size || !ids.every((id) => known.has(id))) {
        throw new AppError('VALIDATION_FAILED', 'Invalid body: ids must list every category exactly once', [
          { in: 'body', path: 'ids', message: 'must list every category exactly once' },
        ]);
      }
      for (const [position, id] of ids.entries()) {
        if (current.find((c) => c.id === id)!.position !== position) await repo.updateCategory(tx, id, { position });
      }
      await audit({
        action: 'category.reorder',
        entityType: 'category',
        entityId: 'order',
        before: current.map((c) => c.id),
        after: ids,
      });
    });
    return this.listCategories();
  }

  /** Replaces the titles of a category's row, in order. */
  async setCategoryTitles(id: string, titleIds: string[], staff: StaffContext) {
    return this.writer.change(staff, async (tx, audit) => {
      const category = await repo.findCategory(tx, id);
      if (!category) throw categoryNotFound();
      const found = await repo.existingTitleIds(tx, titleIds);
      const missing = titleIds.filter((t) => !found.has(t));
      if (missing.length) {
        throw new AppError('VALIDATION_FAILED', `Invalid body: no such title: ${missing.join(', ')}`, [
          { in: 'body', path: 'titleIds', message: `no such title: ${missing.join(', ')}` },
        ]);
      }
      const before = (await repo.titleIdsByCategory(tx, [id])).get(id) ?? [];
      await repo.replaceCategoryTitles(tx, id, titleIds);
      await audit({
        action: 'category.titles.set',
        entityType: 'category',
        entityId: id,
        before: { titleIds: before },
        after: { titleIds },
      });
      return toStaffCategory(category, titleIds);
    });
  }

  // Languages

  async createLanguage(body: { code: string; name: string; nativeName: string }, staff: StaffContext) {
    return this.writer.change(staff, async (tx, audit) => {
      const row = await repo.insertLanguage(tx, body);
      if (!row) throw new AppError('CONFLICT', `The language ${body.code} already exists.`);
      await audit({ action: 'language.create', entityType: 'language', entityId: row.code, after: row });
      return toLanguage(row);
    });
  }

  async updateLanguage(code: string, body: { name?: string; nativeName?: string }, staff: StaffContext) {
    return this.writer.change(staff, async (tx, audit) => {
      const before = await repo.findLanguage(tx, code);
      if (!before) throw new AppError('NOT_FOUND', 'No such language.');
      const row = await repo.updateLanguage(tx, code, body);
      await audit({ action: 'language.update', entityType: 'language', entityId: code, before, after: row });
      return toLanguage(row);
    });
  }
}

const categoryNotFound = () => new AppError('NOT_FOUND', 'No such category.');

const toGenre = (row: repo.GenreRow) => ({ id: row.id, slug: row.slug, name: row.name });
const toLanguage = (row: repo.LanguageRow) => ({ code: row.code, name: row.name, nativeName: row.nativeName });

function toStaffCategory(row: repo.CategoryRow, titleIds: string[]) {
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    description: row.description,
    position: row.position,
    titleIds,
    createdAt: iso(row.createdAt),
    updatedAt: iso(row.updatedAt),
  };
}
