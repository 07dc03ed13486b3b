import { CategoryManager } from '@/components/console/category-manager';
import { loadCategories } from '@/components/console/reference-data';
import { requirePermission } from '@/components/console/session';
import { PageHeader } from '@/components/console/ui';

export const metadata = { title: 'Categories' };

export default async function CategoriesPage() {
  await requirePermission('catalog:manage');
  const categories = await loadCategories();
  return (
    <>
      <PageHeader
        title="Categories"
        description="The rows of the home page, top to bottom. Move a row with its arrow buttons; the order is saved at once."
      />
      <CategoryManager categories={categories} />
    </>
  );
}
