-- The payment ledger and the access history are append-only: money records are never rewritten
-- or removed, by the application or by hand. (Deleting a payment or a subscription would cascade to
-- its entries, so that is refused too.)
CREATE OR REPLACE FUNCTION refuse_append_only_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only: entries are never updated or deleted', TG_TABLE_NAME;
END;
$$;--> statement-breakpoint
CREATE TRIGGER "payment_events_append_only" BEFORE UPDATE OR DELETE ON "payment_events"
FOR EACH ROW EXECUTE FUNCTION refuse_append_only_change();--> statement-breakpoint
CREATE TRIGGER "subscription_events_append_only" BEFORE UPDATE OR DELETE ON "subscription_events"
FOR EACH ROW EXECUTE FUNCTION refuse_append_only_change();
