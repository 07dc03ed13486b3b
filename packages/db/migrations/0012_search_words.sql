CREATE TABLE "search_words" (
	"word" text PRIMARY KEY NOT NULL,
	"titles" integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX "search_words_word_trgm_idx" ON "search_words" USING gin ("word" gin_trgm_ops) WITH (fastupdate=false);--> statement-breakpoint
-- The words a title contributes to search_words: its search_document's lexemes, 3 to 40 characters.
CREATE OR REPLACE FUNCTION kf_search_words_of(document tsvector) RETURNS text[]
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
  RETURN ARRAY(SELECT w FROM unnest(tsvector_to_array(document)) AS w WHERE length(w) BETWEEN 3 AND 40 ORDER BY w);
--> statement-breakpoint
-- Keeps search_words in step with titles, in the changing transaction. Rows are locked in word
-- order, so concurrent changes sharing words queue up instead of deadlocking.
CREATE OR REPLACE FUNCTION kf_sync_search_words() RETURNS trigger
  LANGUAGE plpgsql AS $$
DECLARE
  removed text[] := '{}';
  added text[] := '{}';
BEGIN
  IF TG_OP <> 'INSERT' THEN removed := kf_search_words_of(OLD.search_document); END IF;
  IF TG_OP <> 'DELETE' THEN added := kf_search_words_of(NEW.search_document); END IF;
  IF TG_OP = 'UPDATE' THEN
    IF removed = added THEN RETURN NULL; END IF;
    -- Words in both stay as they are.
    SELECT ARRAY(SELECT unnest(removed) EXCEPT SELECT unnest(added) ORDER BY 1),
           ARRAY(SELECT unnest(added) EXCEPT SELECT unnest(removed) ORDER BY 1)
      INTO removed, added;
  END IF;
  IF cardinality(added) > 0 THEN
    INSERT INTO search_words AS s (word, titles)
      SELECT w, 1 FROM unnest(added) AS w ORDER BY w
      ON CONFLICT (word) DO UPDATE SET titles = s.titles + 1;
  END IF;
  IF cardinality(removed) > 0 THEN
    PERFORM 1 FROM search_words WHERE word = ANY (removed) ORDER BY word FOR UPDATE;
    UPDATE search_words SET titles = titles - 1 WHERE word = ANY (removed);
    DELETE FROM search_words WHERE word = ANY (removed) AND titles <= 0;
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER titles_search_words
  AFTER INSERT OR DELETE OR UPDATE OF name, synopsis ON titles
  FOR EACH ROW EXECUTE FUNCTION kf_sync_search_words();
--> statement-breakpoint
INSERT INTO search_words (word, titles)
  SELECT w, count(*) FROM titles, unnest(kf_search_words_of(search_document)) AS w GROUP BY w;
