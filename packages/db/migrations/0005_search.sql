-- Catalog search folds case and accents ("Kampalá" matches "kampala"). unaccent() is only STABLE
-- (its dictionary is looked up through search_path), so it cannot appear in an index or a generated
-- column; this wrapper names the dictionary explicitly and may therefore be declared IMMUTABLE.
CREATE OR REPLACE FUNCTION kf_search_text(value text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
  RETURN lower(public.unaccent('public.unaccent'::regdictionary, value));
