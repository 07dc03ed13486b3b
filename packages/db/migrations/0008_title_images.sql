ALTER TABLE "people" ADD COLUMN "photo_image" jsonb;--> statement-breakpoint
ALTER TABLE "titles" ADD COLUMN "poster_image" jsonb;--> statement-breakpoint
ALTER TABLE "titles" ADD COLUMN "backdrop_image" jsonb;--> statement-breakpoint
ALTER TABLE "people" DROP COLUMN "photo_key";--> statement-breakpoint
ALTER TABLE "titles" DROP COLUMN "poster_key";--> statement-breakpoint
ALTER TABLE "titles" DROP COLUMN "backdrop_key";