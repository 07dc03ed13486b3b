CREATE TABLE "subscription_events" (
	"id" uuid PRIMARY KEY NOT NULL,
	"subscription_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"type" text NOT NULL,
	"plan_code" text NOT NULL,
	"provider" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "subscription_events" ADD CONSTRAINT "subscription_events_subscription_id_subscriptions_id_fk" FOREIGN KEY ("subscription_id") REFERENCES "public"."subscriptions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "subscription_events_time_idx" ON "subscription_events" USING btree ("type","at");--> statement-breakpoint
CREATE INDEX "subscription_events_subscription_idx" ON "subscription_events" USING btree ("subscription_id","at");--> statement-breakpoint
-- History before this migration, from the rows as they are: each subscription that ever gave access
-- (all but a card checkout Stripe never activated) started when it was created, and one that is
-- over ended when it was marked so.
INSERT INTO "subscription_events" ("id", "subscription_id", "user_id", "type", "plan_code", "provider", "at")
SELECT gen_random_uuid(), "id", "user_id", 'started', "plan_code", "provider", "created_at" FROM "subscriptions"
WHERE NOT ("status" = 'expired' AND "ended_at" IS NULL);--> statement-breakpoint
INSERT INTO "subscription_events" ("id", "subscription_id", "user_id", "type", "plan_code", "provider", "at")
SELECT gen_random_uuid(), "id", "user_id", 'ended', "plan_code", "provider", "ended_at" FROM "subscriptions"
WHERE "status" IN ('expired', 'canceled') AND "ended_at" IS NOT NULL;
