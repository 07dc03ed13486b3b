CREATE TABLE "video_subtitles" (
	"id" uuid PRIMARY KEY NOT NULL,
	"video_id" uuid NOT NULL,
	"language" text NOT NULL,
	"label" text NOT NULL,
	"key" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "videos" (
	"id" uuid PRIMARY KEY NOT NULL,
	"purpose" text DEFAULT 'feature' NOT NULL,
	"status" text DEFAULT 'uploading' NOT NULL,
	"failure_code" text,
	"failure_message" text,
	"original_filename" text NOT NULL,
	"content_type" text NOT NULL,
	"source_size" bigint NOT NULL,
	"source_key" text NOT NULL,
	"upload_mode" text NOT NULL,
	"upload_id" text,
	"part_size" integer,
	"probe" jsonb,
	"duration_seconds" real,
	"width" integer,
	"height" integer,
	"progress" integer DEFAULT 0 NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"revision" integer DEFAULT 0 NOT NULL,
	"output_prefix" text,
	"manifest" jsonb,
	"processing_started_at" timestamp with time zone,
	"heartbeat_at" timestamp with time zone,
	"ready_at" timestamp with time zone,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "video_subtitles" ADD CONSTRAINT "video_subtitles_video_id_videos_id_fk" FOREIGN KEY ("video_id") REFERENCES "public"."videos"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "videos" ADD CONSTRAINT "videos_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "video_subtitles_video_language_key" ON "video_subtitles" USING btree ("video_id","language");--> statement-breakpoint
CREATE INDEX "videos_status_idx" ON "videos" USING btree ("status","heartbeat_at");--> statement-breakpoint
CREATE INDEX "videos_created_idx" ON "videos" USING btree ("created_at","id");