import type { TitleDetail } from '@kush/contracts';
import type { Dictionary } from './i18n/en';

/** The dictionary key naming each credit role. */
export const ROLE_LABEL: Record<TitleDetail['credits'][number]['role'], keyof Dictionary> = {
  actor: 'roleActor',
  director: 'roleDirector',
  writer: 'roleWriter',
  producer: 'roleProducer',
  composer: 'roleComposer',
  narrator: 'roleNarrator',
};
