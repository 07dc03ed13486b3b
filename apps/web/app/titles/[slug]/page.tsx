import { redirect } from 'next/navigation';

/** Notification links say /titles/<slug>; the title page lives at /title/<slug>. */
export default async function TitleLinkPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  redirect(`/title/${encodeURIComponent(slug)}`);
}
