CREATE OR REPLACE FUNCTION "acc_purchases__write_staged"(p$recorder uuid, p$kind character varying, p$check boolean) RETURNS void LANGUAGE plpgsql VOLATILE SECURITY INVOKER
SET enable_seqscan = off
SET enable_bitmapscan = off
SET enable_nestloop = off
SET enable_memoize = off
SET enable_hashjoin = on
SET enable_mergejoin = on
SET plan_cache_mode = auto
SET work_mem = '256MB' AS $fn$
DECLARE
  v$area integer := nullif(current_setting('app.area', true), '')::integer;
  v$old boolean;
  v$rows bigint;
  v$keys bigint;
  v$later bigint;
  v$zero bigint;
  v$bzero bigint;
  v$neg jsonb;
BEGIN
  IF v$area IS NULL THEN RAISE EXCEPTION 'acc_purchases__write_staged: app.area is not set'; END IF;
  DROP TABLE IF EXISTS pg_temp."acc_purchases__old";
  CREATE TEMP TABLE "acc_purchases__old" (month date, "product" uuid, rcpt$1 numeric, rcpt$2 numeric) ON COMMIT DROP;
  IF (SELECT line FROM "acc_purchases" WHERE area = v$area AND recorder = p$recorder ORDER BY recorder, line LIMIT 1) IS NOT NULL THEN
    WITH old AS (DELETE FROM "acc_purchases" WHERE area = v$area AND recorder = p$recorder
                    RETURNING period, record_kind, "product", "quantity", "amount")
    INSERT INTO pg_temp."acc_purchases__old" SELECT date_trunc('month', old_row.period)::date AS month, old_row."product", sum(old_row."quantity" * old_row.record_kind) AS rcpt$1, sum(old_row."amount" * old_row.record_kind) AS rcpt$2
            FROM old old_row GROUP BY 1, old_row."product";
    v$old := true;
  ELSE
    v$old := false;
  END IF;
  INSERT INTO "acc_purchases" (recorder, recorder_kind, line, period, record_kind, "product", "quantity", "amount")
  SELECT p$recorder, p$kind, staged.line, staged.period, staged.record_kind, staged."product", staged."quantity", staged."amount" FROM pg_temp."acc_purchases__in" staged;
  IF NOT v$old THEN
    DROP TABLE IF EXISTS pg_temp."acc_purchases__delta";
    CREATE TEMP TABLE "acc_purchases__delta" ON COMMIT DROP AS SELECT date_trunc('month', staged.period)::date AS month, staged."product", staged."quantity" * staged.record_kind AS rcpt$1, staged."amount" * staged.record_kind AS rcpt$2,
             row_number() OVER (PARTITION BY staged."product" ORDER BY date_trunc('month', staged.period)::date) AS first$
      FROM pg_temp."acc_purchases__in" staged WHERE staged."quantity" <> 0 OR staged."amount" <> 0 ORDER BY "product", month;
    SELECT count(*), count(*) FILTER (WHERE first$ = 1) INTO v$rows, v$keys FROM pg_temp."acc_purchases__delta";
  END IF;
  IF v$old OR v$keys < v$rows THEN
    DROP TABLE IF EXISTS pg_temp."acc_purchases__delta";
    CREATE TEMP TABLE "acc_purchases__delta" ON COMMIT DROP AS SELECT month, "product", sum(rcpt$1) AS rcpt$1, sum(rcpt$2) AS rcpt$2
      FROM (SELECT date_trunc('month', staged.period)::date AS month, staged."product", sum(staged."quantity" * staged.record_kind) AS rcpt$1, sum(staged."amount" * staged.record_kind) AS rcpt$2
                FROM pg_temp."acc_purchases__in" staged GROUP BY 1, staged."product"
            UNION ALL
            SELECT old_delta.month, old_delta."product", -old_delta.rcpt$1, -old_delta.rcpt$2 FROM pg_temp."acc_purchases__old" old_delta) new_and_old
     GROUP BY month, "product"
    HAVING sum(rcpt$1) <> 0 OR sum(rcpt$2) <> 0 ORDER BY "product", month;
    SELECT count(*), count(DISTINCT ("product")) INTO v$rows, v$keys FROM pg_temp."acc_purchases__delta";
  END IF;
  IF v$rows = 0 THEN RETURN; END IF;
  IF v$keys > 1000 THEN
    PERFORM pg_advisory_xact_lock(-605025893, v$area);
  ELSE
    PERFORM pg_advisory_xact_lock_shared(-605025893, v$area);
    PERFORM pg_advisory_xact_lock(1129730178, key_hash) FROM (SELECT DISTINCT hashtext(concat_ws(chr(31), v$area, delta."product")) AS key_hash FROM pg_temp."acc_purchases__delta" delta ORDER BY 1) hashes;
  END IF;
  WITH delta AS (SELECT delta.*, (SELECT true FROM "acc_purchases__totals" stored WHERE stored.area = v$area AND stored."product" = delta."product" AND stored.month = delta.month) AS stored$ FROM pg_temp."acc_purchases__delta" delta),
  new_month_rows AS (INSERT INTO "acc_purchases__totals" AS totals (month, "product", "quantity", "amount")
        SELECT delta.month, delta."product", delta.rcpt$1, delta.rcpt$2 FROM delta WHERE delta.stored$ IS NULL),
  month_rows AS (INSERT INTO "acc_purchases__totals" AS totals (month, "product", "quantity", "amount")
        SELECT delta.month, delta."product", delta.rcpt$1, delta.rcpt$2 FROM delta WHERE delta.stored$
        ON CONFLICT (area, "product", month) DO UPDATE SET "quantity" = totals."quantity" + excluded."quantity", "amount" = totals."amount" + excluded."amount"
        RETURNING (totals."quantity" = 0 AND totals."amount" = 0) AS zero)
  SELECT count(*) FILTER (WHERE zero) INTO v$zero FROM month_rows;
  IF v$zero > 0 THEN
    DELETE FROM "acc_purchases__totals" totals USING pg_temp."acc_purchases__delta" delta WHERE totals.area = v$area AND totals."product" = delta."product" AND totals.month = delta.month AND totals."quantity" = 0 AND totals."amount" = 0;
  END IF;
END
$fn$;
COMMENT ON FUNCTION "acc_purchases__write_staged"(uuid, character varying, boolean) IS 'register engine';
GRANT EXECUTE ON FUNCTION "acc_purchases__write_staged"(uuid, character varying, boolean) TO "app_user";
