DROP INDEX "people_name_trgm_idx";--> statement-breakpoint
DROP INDEX "titles_search_idx";--> statement-breakpoint
DROP INDEX "titles_name_trgm_idx";--> statement-breakpoint
CREATE INDEX "people_name_trgm_idx" ON "people" USING gin (kf_search_text("name") gin_trgm_ops) WITH (fastupdate=false);--> statement-breakpoint
CREATE INDEX "titles_search_idx" ON "titles" USING gin ("search_document") WITH (fastupdate=false);--> statement-breakpoint
CREATE INDEX "titles_name_trgm_idx" ON "titles" USING gin (kf_search_text("name") gin_trgm_ops) WITH (fastupdate=false);