import { KIDS_MAX_RATING, MATURITY_RATING_VALUES, type MaturityRating } from '@kush/contracts';

/** The ratings up to and including `max`, in order: G, PG, 13, 16, 18. */
export function ratingsUpTo(max: MaturityRating): MaturityRating[] {
  return MATURITY_RATING_VALUES.slice(0, MATURITY_RATING_VALUES.indexOf(max) + 1);
}

export function lowerRating(a: MaturityRating, b: MaturityRating): MaturityRating {
  return MATURITY_RATING_VALUES.indexOf(a) <= MATURITY_RATING_VALUES.indexOf(b) ? a : b;
}

/** A profile's ceiling: its own limit, and never above PG on a kids profile. */
export function profileCeiling(profile: { isKids: boolean; maturityLimit: MaturityRating }): MaturityRating {
  return profile.isKids ? lowerRating(profile.maturityLimit, KIDS_MAX_RATING) : profile.maturityLimit;
}
