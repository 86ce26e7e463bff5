DROP INDEX IF EXISTS "acc_accounting__period";
DROP INDEX IF EXISTS "acc_accounting__totals__month";
DROP INDEX IF EXISTS "acc_accounting__key_period";
DO $$DECLARE unwanted text; BEGIN
  FOR unwanted IN SELECT rel.relname FROM pg_index idx JOIN pg_class rel ON rel.oid = idx.indexrelid
            WHERE idx.indrelid IN ('acc_accounting'::regclass, 'acc_accounting__totals'::regclass) AND obj_description(rel.oid, 'pg_class') = 'register engine'
              AND NOT (rel.relname = ANY (ARRAY['acc_accounting__key_dc6bfab7', 'acc_accounting__period_brin', 'acc_accounting__totals__month_brin']))
  LOOP EXECUTE 'DROP INDEX ' || quote_ident(unwanted); END LOOP;
END$$;
CREATE INDEX IF NOT EXISTS "acc_accounting__key_dc6bfab7" ON "acc_accounting" ("area", "account", "analytics1", "analytics2", "analytics3", "period") INCLUDE ("record_kind", "amount", "quantity");
COMMENT ON INDEX "acc_accounting__key_dc6bfab7" IS 'register engine';
CREATE INDEX IF NOT EXISTS "acc_accounting__period_brin" ON "acc_accounting" USING brin (area, period) WITH (autosummarize = on);
COMMENT ON INDEX "acc_accounting__period_brin" IS 'register engine';
CREATE INDEX IF NOT EXISTS "acc_accounting__totals__month_brin" ON "acc_accounting__totals" USING brin (area, month) WITH (autosummarize = on);
COMMENT ON INDEX "acc_accounting__totals__month_brin" IS 'register engine';
