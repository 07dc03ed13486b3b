import type { Permission } from '@kush/contracts';

export interface ConsoleSectionInfo {
  href: string;
  label: string;
  description: string;
  permission: Permission;
}

/** The console's sections and the permission each needs; navigation shows only those allowed. */
export const CONSOLE_SECTIONS: readonly ConsoleSectionInfo[] = [
  {
    href: '/console/titles',
    label: 'Titles',
    description: 'Films and series: details, artwork, videos, seasons, publishing.',
    permission: 'catalog:manage',
  },
  {
    href: '/console/categories',
    label: 'Categories',
    description: 'The rows of the home page, their order and their titles.',
    permission: 'catalog:manage',
  },
  {
    href: '/console/taxonomy',
    label: 'Genres & languages',
    description: 'The genres and languages titles are tagged with.',
    permission: 'catalog:manage',
  },
  {
    href: '/console/people',
    label: 'People',
    description: 'Cast and crew, with photos.',
    permission: 'catalog:manage',
  },
  {
    href: '/console/comments',
    label: 'Comments',
    description: 'The moderation queue, most reported first.',
    permission: 'comments:moderate',
  },
  {
    href: '/console/users',
    label: 'Users',
    description: 'Accounts, roles and suspensions.',
    permission: 'users:manage',
  },
  {
    href: '/console/audit',
    label: 'Audit log',
    description: 'Who changed what, and when.',
    permission: 'audit:read',
  },
  { href: '/console/ads', label: 'Ads', description: 'Campaigns and ad breaks.', permission: 'ads:manage' },
  {
    href: '/console/finance',
    label: 'Finance',
    description: 'Payments and subscriptions.',
    permission: 'finance:manage',
  },
];

export function sectionsAllowed(permissions: readonly string[]): ConsoleSectionInfo[] {
  return CONSOLE_SECTIONS.filter((s) => permissions.includes(s.permission));
}
