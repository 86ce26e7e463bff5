DROP INDEX IF EXISTS "acc_stock__period";
DROP INDEX IF EXISTS "acc_stock__totals__month";
DROP INDEX IF EXISTS "acc_stock__key_period";
DO $$DECLARE unwanted text; BEGIN
  FOR unwanted IN SELECT rel.relname FROM pg_index idx JOIN pg_class rel ON rel.oid = idx.indexrelid
            WHERE idx.indrelid IN ('acc_stock'::regclass, 'acc_stock__totals'::regclass) AND obj_description(rel.oid, 'pg_class') = 'register engine'
              AND NOT (rel.relname = ANY (ARRAY['acc_stock__key_5043547a', 'acc_stock__period_brin', 'acc_stock__totals__month_brin']))
  LOOP EXECUTE 'DROP INDEX ' || quote_ident(unwanted); END LOOP;
END$$;
CREATE INDEX IF NOT EXISTS "acc_stock__key_5043547a" ON "acc_stock" ("area", "warehouse", "product", "period") INCLUDE ("record_kind", "quantity", "amount");
COMMENT ON INDEX "acc_stock__key_5043547a" IS 'register engine';
CREATE INDEX IF NOT EXISTS "acc_stock__period_brin" ON "acc_stock" USING brin (area, period) WITH (autosummarize = on);
COMMENT ON INDEX "acc_stock__period_brin" IS 'register engine';
CREATE INDEX IF NOT EXISTS "acc_stock__totals__month_brin" ON "acc_stock__totals" USING brin (area, month) WITH (autosummarize = on);
COMMENT ON INDEX "acc_stock__totals__month_brin" IS 'register engine';
