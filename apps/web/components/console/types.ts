/** The API's shapes as the console uses them, inferred from @kush/contracts (types only: no zod in the bundle). */
import type {
  AuditEntry,
  GenreList,
  LanguageList,
  Me,
  ModerationComment,
  StaffCategory,
  StaffEpisode,
  StaffPerson,
  StaffSeason,
  StaffTitleSummary,
  User,
  Video,
} from '@kush/contracts';
import type { z } from 'zod';

export type { Permission, Role, StaffTitle, TitleStatus, Video } from '@kush/contracts';

export type Page<T> = { items: T[]; nextCursor: string | null };
export type MeAccount = z.infer<typeof Me>;
export type StaffTitleSummary = z.infer<typeof StaffTitleSummary>;
export type StaffSeason = z.infer<typeof StaffSeason>;
export type StaffEpisode = z.infer<typeof StaffEpisode>;
export type StaffPerson = z.infer<typeof StaffPerson>;
export type StaffCategory = z.infer<typeof StaffCategory>;
export type Genre = z.infer<typeof GenreList>['items'][number];
export type Language = z.infer<typeof LanguageList>['items'][number];
export type Account = User;
export type ModerationComment = z.infer<typeof ModerationComment>;
export type AuditEntry = z.infer<typeof AuditEntry>;
export type VideoRecord = Video;
