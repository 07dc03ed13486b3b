/**
 * API response types the web app reads, inferred from @kush/contracts (type-only: no zod in any
 * bundle). Types contracts already export are imported from there directly.
 */
import type {
  BannerAd as BannerAdSchema,
  BannerDecision as BannerDecisionSchema,
  CategoryPage as CategoryPageSchema,
  CommentPage as CommentPageSchema,
  ContinueWatching as ContinueWatchingSchema,
  Genre as GenreSchema,
  GenreList as GenreListSchema,
  GenrePage as GenrePageSchema,
  HistoryPage as HistoryPageSchema,
  Language as LanguageSchema,
  LanguageList as LanguageListSchema,
  Me as MeSchema,
  MyListPage as MyListPageSchema,
  MyListStatus as MyListStatusSchema,
  NotificationPage as NotificationPageSchema,
  NotificationPreferences as NotificationPreferencesSchema,
  PersonPage as PersonPageSchema,
  Rating as RatingSchema,
  SearchResults as SearchResultsSchema,
  Session as SessionSchema,
  Autocomplete as AutocompleteSchema,
} from '@kush/contracts';
import type { z } from 'zod';

export type Autocomplete = z.infer<typeof AutocompleteSchema>;
export type CategoryPage = z.infer<typeof CategoryPageSchema>;
export type CommentPage = z.infer<typeof CommentPageSchema>;
export type ContinueWatching = z.infer<typeof ContinueWatchingSchema>;
export type Genre = z.infer<typeof GenreSchema>;
export type GenreList = z.infer<typeof GenreListSchema>;
export type GenrePage = z.infer<typeof GenrePageSchema>;
export type HistoryPage = z.infer<typeof HistoryPageSchema>;
export type Language = z.infer<typeof LanguageSchema>;
export type LanguageList = z.infer<typeof LanguageListSchema>;
export type Me = z.infer<typeof MeSchema>;
export type MyListPage = z.infer<typeof MyListPageSchema>;
export type MyListStatus = z.infer<typeof MyListStatusSchema>;
export type NotificationPage = z.infer<typeof NotificationPageSchema>;
export type NotificationPreferences = z.infer<typeof NotificationPreferencesSchema>;
export type PersonPage = z.infer<typeof PersonPageSchema>;
export type Rating = z.infer<typeof RatingSchema>;
export type SearchResults = z.infer<typeof SearchResultsSchema>;
export type Session = z.infer<typeof SessionSchema>;
export type BannerAd = z.infer<typeof BannerAdSchema>;
export type BannerDecision = z.infer<typeof BannerDecisionSchema>;
