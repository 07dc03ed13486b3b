import { AppError } from '@kush/contracts';
import { decodeAfter, toPage } from '../../lib/cursor';
import { iso } from './catalog.mapper';
import * as repo from './people.repository';
import { claimSlug, withUniqueSlug } from './slugs';
import type { ImagePresenter } from './images.presenter';
import type { ImagesService } from './images.service';
import type { CatalogWriter, StaffContext } from './staff-change';

const SLUG_KEY = 'people_slug_key';

/** Staff management of people (cast and crew). Every change is audited. */
export class PeopleService {
  constructor(
    private readonly writer: CatalogWriter,
    private readonly images: ImagesService,
  ) {}

  private staffPerson = (row: repo.PersonRow) => toStaffPerson(row, this.images.presenter);

  async list(query: { q?: string; cursor?: string; limit: number }) {
    const rows = await repo.listPeople(this.writer.reader, {
      q: query.q,
      after: decodeAfter(query.cursor),
      limit: query.limit + 1,
    });
    const page = toPage(
      rows,
      query.limit,
      (r) => r,
      (r) => r,
    );
    return { items: await Promise.all(page.items.map(this.staffPerson)), nextCursor: page.nextCursor };
  }

  async get(id: string) {
    const row = await repo.findPerson(this.writer.reader, id);
    if (!row) throw notFound();
    return this.staffPerson(row);
  }

  async create(body: { name: string; slug?: string; bio?: string | null }, staff: StaffContext) {
    return this.writer.change(staff, async (tx, audit) => {
      const slug = await claimSlug(tx, 'people', body.slug, body.name);
      const row = await withUniqueSlug(SLUG_KEY, () => repo.insertPerson(tx, { ...body, slug }));
      await audit({ action: 'person.create', entityType: 'person', entityId: row.id, after: row });
      return this.staffPerson(row);
    });
  }

  async update(id: string, body: { name?: string; slug?: string; bio?: string | null }, staff: StaffContext) {
    return this.writer.change(staff, async (tx, audit) => {
      const before = await repo.findPerson(tx, id);
      if (!before) throw notFound();
      const { slug, ...values } = body;
      const changes = {
        ...values,
        ...(slug && slug !== before.slug ? { slug: await claimSlug(tx, 'people', slug, '') } : {}),
      };
      const row = await withUniqueSlug(SLUG_KEY, () => repo.updatePerson(tx, id, changes));
      await audit({ action: 'person.update', entityType: 'person', entityId: id, before, after: row });
      return this.staffPerson(row);
    });
  }

  /** Removes the person from every title they were credited on. */
  async remove(id: string, staff: StaffContext): Promise<void> {
    await this.writer.change(staff, async (tx, audit) => {
      const before = await repo.findPerson(tx, id);
      if (!before) throw notFound();
      const creditedOn = await repo.deletePerson(tx, id);
      await audit({ action: 'person.delete', entityType: 'person', entityId: id, before: { ...before, creditedOn } });
    });
    await this.images.removeAll('people', id);
  }
}

const notFound = () => new AppError('NOT_FOUND', 'No such person.');

async function toStaffPerson({ photoImage, ...row }: repo.PersonRow, images: ImagePresenter) {
  return {
    ...row,
    photo: await images.staff(photoImage),
    createdAt: iso(row.createdAt),
    updatedAt: iso(row.updatedAt),
  };
}
