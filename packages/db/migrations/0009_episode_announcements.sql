ALTER TABLE "episodes" ADD COLUMN "announced_at" timestamp with time zone;--> statement-breakpoint
-- Episodes already out were announced (or predate announcements): only future releases are news.
UPDATE "episodes" SET "announced_at" = now() WHERE "publish_at" IS NULL OR "publish_at" <= now();
