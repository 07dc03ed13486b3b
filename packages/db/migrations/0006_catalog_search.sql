ALTER TABLE "titles" ADD COLUMN "recent_plays" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "titles" ADD COLUMN "search_document" "tsvector" GENERATED ALWAYS AS (setweight(to_tsvector('simple'::regconfig, kf_search_text(name)), 'A') || setweight(to_tsvector('simple'::regconfig, kf_search_text(synopsis)), 'C')) STORED;--> statement-breakpoint
CREATE INDEX "audit_log_actor_idx" ON "audit_log" USING btree ("actor_id","created_at");--> statement-breakpoint
CREATE INDEX "people_name_trgm_idx" ON "people" USING gin (kf_search_text("name") gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "titles_search_idx" ON "titles" USING gin ("search_document");--> statement-breakpoint
CREATE INDEX "titles_name_trgm_idx" ON "titles" USING gin (kf_search_text("name") gin_trgm_ops);