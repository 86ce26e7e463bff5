DROP INDEX IF EXISTS "acc_purchases__period";
DROP INDEX IF EXISTS "acc_purchases__totals__month";
DROP INDEX IF EXISTS "acc_purchases__key_period";
DO $$DECLARE unwanted text; BEGIN
  FOR unwanted IN SELECT rel.relname FROM pg_index idx JOIN pg_class rel ON rel.oid = idx.indexrelid
            WHERE idx.indrelid IN ('acc_purchases'::regclass, 'acc_purchases__totals'::regclass) AND obj_description(rel.oid, 'pg_class') = 'register engine'
              AND NOT (rel.relname = ANY (ARRAY['acc_purchases__key_30ddc3fb', 'acc_purchases__period_brin', 'acc_purchases__totals__month_brin']))
  LOOP EXECUTE 'DROP INDEX ' || quote_ident(unwanted); END LOOP;
END$$;
CREATE INDEX IF NOT EXISTS "acc_purchases__key_30ddc3fb" ON "acc_purchases" ("area", "product", "period") INCLUDE ("record_kind", "quantity", "amount");
COMMENT ON INDEX "acc_purchases__key_30ddc3fb" IS 'register engine';
CREATE INDEX IF NOT EXISTS "acc_purchases__period_brin" ON "acc_purchases" USING brin (area, period) WITH (autosummarize = on);
COMMENT ON INDEX "acc_purchases__period_brin" IS 'register engine';
CREATE INDEX IF NOT EXISTS "acc_purchases__totals__month_brin" ON "acc_purchases__totals" USING brin (area, month) WITH (autosummarize = on);
COMMENT ON INDEX "acc_purchases__totals__month_brin" IS 'register engine';
