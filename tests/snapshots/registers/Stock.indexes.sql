DROP INDEX IF EXISTS "acc_stock__period";
DROP INDEX IF EXISTS "acc_stock__totals__month";
DROP INDEX IF EXISTS "acc_stock__key_period";
DO $$DECLARE i text; BEGIN
  FOR i IN SELECT c.relname FROM pg_index x JOIN pg_class c ON c.oid = x.indexrelid
            WHERE x.indrelid IN ('acc_stock'::regclass, 'acc_stock__totals'::regclass) AND obj_description(c.oid, 'pg_class') = 'register engine'
              AND NOT (c.relname = ANY (ARRAY['acc_stock__key_5043547a', 'acc_stock__period_brin', 'acc_stock__totals__month_brin']))
  LOOP EXECUTE 'DROP INDEX ' || quote_ident(i); END LOOP;
END$$;
CREATE INDEX IF NOT EXISTS "acc_stock__key_5043547a" ON "acc_stock" ("area", "warehouse", "product", "period") INCLUDE ("record_kind", "quantity", "amount");
COMMENT ON INDEX "acc_stock__key_5043547a" IS 'register engine';
CREATE INDEX IF NOT EXISTS "acc_stock__period_brin" ON "acc_stock" USING brin (area, period) WITH (autosummarize = on);
COMMENT ON INDEX "acc_stock__period_brin" IS 'register engine';
CREATE INDEX IF NOT EXISTS "acc_stock__totals__month_brin" ON "acc_stock__totals" USING brin (area, month) WITH (autosummarize = on);
COMMENT ON INDEX "acc_stock__totals__month_brin" IS 'register engine';
