ALTER TABLE "episodes" ADD COLUMN "still_image" jsonb;--> statement-breakpoint
ALTER TABLE "episodes" DROP COLUMN "still_key";