CREATE OR REPLACE FUNCTION "acc_stock__write_staged"(p$recorder uuid, p$kind character varying, p$check boolean) RETURNS void LANGUAGE plpgsql VOLATILE SECURITY INVOKER
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
  IF v$area IS NULL THEN RAISE EXCEPTION 'acc_stock__write_staged: app.area is not set'; END IF;
  DROP TABLE IF EXISTS pg_temp."acc_stock__old";
  CREATE TEMP TABLE "acc_stock__old" (month date, "warehouse" uuid, "product" uuid, rcpt$1 numeric, rcpt$2 numeric, exp$1 numeric, exp$2 numeric) ON COMMIT DROP;
  IF (SELECT line FROM "acc_stock" WHERE area = v$area AND recorder = p$recorder ORDER BY recorder, line LIMIT 1) IS NOT NULL THEN
    WITH old AS (DELETE FROM "acc_stock" WHERE area = v$area AND recorder = p$recorder
                    RETURNING period, record_kind, "warehouse", "product", "quantity", "amount")
    INSERT INTO pg_temp."acc_stock__old" SELECT date_trunc('month', old_row.period)::date AS month, old_row."warehouse", old_row."product", coalesce(sum(old_row."quantity") FILTER (WHERE old_row.record_kind = 1), 0) AS rcpt$1, coalesce(sum(old_row."amount") FILTER (WHERE old_row.record_kind = 1), 0) AS rcpt$2, coalesce(sum(old_row."quantity") FILTER (WHERE old_row.record_kind = -1), 0) AS exp$1, coalesce(sum(old_row."amount") FILTER (WHERE old_row.record_kind = -1), 0) AS exp$2
            FROM old old_row GROUP BY 1, old_row."warehouse", old_row."product";
    v$old := true;
  ELSE
    v$old := false;
  END IF;
  INSERT INTO "acc_stock" (recorder, recorder_kind, line, period, record_kind, "warehouse", "product", "quantity", "amount")
  SELECT p$recorder, p$kind, staged.line, staged.period, staged.record_kind, staged."warehouse", staged."product", staged."quantity", staged."amount" FROM pg_temp."acc_stock__in" staged;
  IF NOT v$old THEN
    DROP TABLE IF EXISTS pg_temp."acc_stock__delta";
    CREATE TEMP TABLE "acc_stock__delta" ON COMMIT DROP AS SELECT date_trunc('month', staged.period)::date AS month, staged."warehouse", staged."product", CASE WHEN staged.record_kind = 1 THEN staged."quantity" ELSE 0 END AS rcpt$1, CASE WHEN staged.record_kind = 1 THEN staged."amount" ELSE 0 END AS rcpt$2, CASE WHEN staged.record_kind = -1 THEN staged."quantity" ELSE 0 END AS exp$1, CASE WHEN staged.record_kind = -1 THEN staged."amount" ELSE 0 END AS exp$2,
             row_number() OVER (PARTITION BY staged."warehouse", staged."product" ORDER BY date_trunc('month', staged.period)::date) AS first$
      FROM pg_temp."acc_stock__in" staged WHERE staged."quantity" <> 0 OR staged."amount" <> 0 ORDER BY "warehouse", "product", month;
    SELECT count(*), count(*) FILTER (WHERE first$ = 1) INTO v$rows, v$keys FROM pg_temp."acc_stock__delta";
  END IF;
  IF v$old OR v$keys < v$rows THEN
    DROP TABLE IF EXISTS pg_temp."acc_stock__delta";
    CREATE TEMP TABLE "acc_stock__delta" ON COMMIT DROP AS SELECT month, "warehouse", "product", sum(rcpt$1) AS rcpt$1, sum(rcpt$2) AS rcpt$2, sum(exp$1) AS exp$1, sum(exp$2) AS exp$2
      FROM (SELECT date_trunc('month', staged.period)::date AS month, staged."warehouse", staged."product", coalesce(sum(staged."quantity") FILTER (WHERE staged.record_kind = 1), 0) AS rcpt$1, coalesce(sum(staged."amount") FILTER (WHERE staged.record_kind = 1), 0) AS rcpt$2, coalesce(sum(staged."quantity") FILTER (WHERE staged.record_kind = -1), 0) AS exp$1, coalesce(sum(staged."amount") FILTER (WHERE staged.record_kind = -1), 0) AS exp$2
                FROM pg_temp."acc_stock__in" staged GROUP BY 1, staged."warehouse", staged."product"
            UNION ALL
            SELECT old_delta.month, old_delta."warehouse", old_delta."product", -old_delta.rcpt$1, -old_delta.rcpt$2, -old_delta.exp$1, -old_delta.exp$2 FROM pg_temp."acc_stock__old" old_delta) new_and_old
     GROUP BY month, "warehouse", "product"
    HAVING sum(rcpt$1) <> 0 OR sum(rcpt$2) <> 0 OR sum(exp$1) <> 0 OR sum(exp$2) <> 0 ORDER BY "warehouse", "product", month;
    SELECT count(*), count(DISTINCT ("warehouse", "product")) INTO v$rows, v$keys FROM pg_temp."acc_stock__delta";
  END IF;
  IF v$rows = 0 THEN RETURN; END IF;
  IF v$keys > 1000 THEN
    PERFORM pg_advisory_xact_lock(1124131497, v$area);
  ELSE
    PERFORM pg_advisory_xact_lock_shared(1124131497, v$area);
    PERFORM pg_advisory_xact_lock(1392340020, key_hash) FROM (SELECT DISTINCT hashtext(concat_ws(chr(31), v$area, delta."warehouse", delta."product")) AS key_hash FROM pg_temp."acc_stock__delta" delta ORDER BY 1) hashes;
  END IF;
  IF v$keys = v$rows THEN
  WITH delta AS (SELECT * FROM pg_temp."acc_stock__delta" delta),
  probed AS (SELECT delta.*, latest.month AS last$, CASE WHEN latest.month < delta.month THEN latest."quantity" WHEN latest.month > delta.month THEN carried."quantity" END AS base$1, CASE WHEN latest.month < delta.month THEN latest."amount" WHEN latest.month > delta.month THEN carried."amount" END AS base$2
           FROM delta LEFT JOIN LATERAL (SELECT stored.month, stored."quantity", stored."amount" FROM "acc_stock__totals" stored
                                      WHERE stored.area = v$area AND stored."warehouse" = delta."warehouse" AND stored."product" = delta."product" ORDER BY stored.month DESC LIMIT 1) latest ON true
                      LEFT JOIN LATERAL (SELECT stored."quantity", stored."amount" FROM "acc_stock__totals" stored
                                      WHERE latest.month > delta.month AND stored.area = v$area AND stored."warehouse" = delta."warehouse" AND stored."product" = delta."product" AND stored.month < delta.month ORDER BY stored.month DESC LIMIT 1) carried ON true),
  new_month_rows AS (INSERT INTO "acc_stock__totals" AS totals (month, "warehouse", "product", "quantity_receipt", "quantity_expense", "quantity", "amount_receipt", "amount_expense", "amount")
          SELECT probed.month, probed."warehouse", probed."product", probed.rcpt$1, probed.exp$1, coalesce(probed.base$1, 0) + probed.rcpt$1 - probed.exp$1, probed.rcpt$2, probed.exp$2, coalesce(probed.base$2, 0) + probed.rcpt$2 - probed.exp$2 FROM probed WHERE probed.last$ IS NULL),
  month_rows AS (INSERT INTO "acc_stock__totals" AS totals (month, "warehouse", "product", "quantity_receipt", "quantity_expense", "quantity", "amount_receipt", "amount_expense", "amount")
          SELECT probed.month, probed."warehouse", probed."product", probed.rcpt$1, probed.exp$1, coalesce(probed.base$1, 0) + probed.rcpt$1 - probed.exp$1, probed.rcpt$2, probed.exp$2, coalesce(probed.base$2, 0) + probed.rcpt$2 - probed.exp$2 FROM probed WHERE probed.last$ IS NOT NULL
          ON CONFLICT (area, "warehouse", "product", month) DO UPDATE SET
             "quantity_receipt" = totals."quantity_receipt" + excluded."quantity_receipt", "quantity_expense" = totals."quantity_expense" + excluded."quantity_expense", "quantity" = totals."quantity" + excluded."quantity_receipt" - excluded."quantity_expense",
             "amount_receipt" = totals."amount_receipt" + excluded."amount_receipt", "amount_expense" = totals."amount_expense" + excluded."amount_expense", "amount" = totals."amount" + excluded."amount_receipt" - excluded."amount_expense"
          RETURNING (totals."quantity_receipt" = 0 AND totals."amount_receipt" = 0 AND totals."quantity_expense" = 0 AND totals."amount_expense" = 0) AS zero),
  new_balance_rows AS (INSERT INTO "acc_stock__balance" AS balance ("warehouse", "product", "quantity", "amount")
          SELECT probed."warehouse", probed."product", probed.rcpt$1 - probed.exp$1, probed.rcpt$2 - probed.exp$2 FROM probed WHERE probed.last$ IS NULL AND (probed.rcpt$1 <> probed.exp$1 OR probed.rcpt$2 <> probed.exp$2)),
  balance_rows AS (INSERT INTO "acc_stock__balance" AS balance ("warehouse", "product", "quantity", "amount")
          SELECT probed."warehouse", probed."product", probed.rcpt$1 - probed.exp$1, probed.rcpt$2 - probed.exp$2 FROM probed WHERE probed.last$ IS NOT NULL AND (probed.rcpt$1 <> probed.exp$1 OR probed.rcpt$2 <> probed.exp$2)
          ON CONFLICT (area, "warehouse", "product") DO UPDATE SET "quantity" = balance."quantity" + excluded."quantity", "amount" = balance."amount" + excluded."amount"
          RETURNING balance."warehouse", balance."product", balance."quantity", balance."amount")
  SELECT (SELECT count(*) FILTER (WHERE zero) FROM month_rows),
         (SELECT count(*) FROM probed WHERE (probed.rcpt$1 <> probed.exp$1 OR probed.rcpt$2 <> probed.exp$2) AND probed.last$ > probed.month),
         (SELECT count(*) FILTER (WHERE balance."quantity" = 0 AND balance."amount" = 0) FROM balance_rows balance),
         nullif(coalesce((SELECT jsonb_agg(jsonb_build_object('warehouse', balance."warehouse", 'product', balance."product", 'quantity', balance."quantity"::text, 'amount', balance."amount"::text)) FILTER (WHERE (balance."quantity" < 0 AND delta.rcpt$1 < delta.exp$1) OR (balance."amount" < 0 AND delta.rcpt$2 < delta.exp$2)) FROM balance_rows balance JOIN delta ON balance."warehouse" = delta."warehouse" AND balance."product" = delta."product"), '[]'::jsonb)
                || coalesce((SELECT jsonb_agg(jsonb_build_object('warehouse', balance."warehouse", 'product', balance."product", 'quantity', balance."quantity"::text, 'amount', balance."amount"::text)) FROM (SELECT probed."warehouse", probed."product", probed.rcpt$1 - probed.exp$1 AS "quantity", probed.rcpt$2 - probed.exp$2 AS "amount" FROM probed WHERE probed.last$ IS NULL AND ((probed.rcpt$1 < probed.exp$1) OR (probed.rcpt$2 < probed.exp$2))) balance), '[]'::jsonb), '[]'::jsonb)
    INTO v$zero, v$later, v$bzero, v$neg;
  IF v$later > 0 THEN
    WITH delta AS (SELECT * FROM pg_temp."acc_stock__delta" delta)
    UPDATE "acc_stock__totals" later SET "quantity" = later."quantity" + (delta.rcpt$1 - delta.exp$1), "amount" = later."amount" + (delta.rcpt$2 - delta.exp$2)
      FROM delta WHERE later.area = v$area AND later."warehouse" = delta."warehouse" AND later."product" = delta."product" AND later.month > delta.month;
  END IF;
  ELSE
  WITH delta AS (SELECT * FROM pg_temp."acc_stock__delta" delta),
  cumulative AS (SELECT delta.*, sum(delta.rcpt$1 - delta.exp$1) OVER (PARTITION BY delta."warehouse", delta."product" ORDER BY delta.month) AS cum$1, sum(delta.rcpt$2 - delta.exp$2) OVER (PARTITION BY delta."warehouse", delta."product" ORDER BY delta.month) AS cum$2 FROM delta),
  absolute AS (SELECT cumulative.month, cumulative."warehouse", cumulative."product", CASE WHEN before.month = cumulative.month THEN before."quantity_receipt" ELSE 0 END + cumulative.rcpt$1 AS "quantity_receipt", CASE WHEN before.month = cumulative.month THEN before."quantity_expense" ELSE 0 END + cumulative.exp$1 AS "quantity_expense", coalesce(before."quantity", 0) + cumulative.cum$1 AS "quantity",
                 CASE WHEN before.month = cumulative.month THEN before."amount_receipt" ELSE 0 END + cumulative.rcpt$2 AS "amount_receipt", CASE WHEN before.month = cumulative.month THEN before."amount_expense" ELSE 0 END + cumulative.exp$2 AS "amount_expense", coalesce(before."amount", 0) + cumulative.cum$2 AS "amount",
                 (SELECT true FROM "acc_stock__totals" later_month WHERE later_month.area = v$area AND later_month."warehouse" = cumulative."warehouse" AND later_month."product" = cumulative."product" AND later_month.month > cumulative.month LIMIT 1) IS NOT NULL AS later
            FROM cumulative LEFT JOIN LATERAL (SELECT stored.month, stored."quantity_receipt", stored."quantity_expense", stored."quantity", stored."amount_receipt", stored."amount_expense", stored."amount" FROM "acc_stock__totals" stored
                                       WHERE stored.area = v$area AND stored."warehouse" = cumulative."warehouse" AND stored."product" = cumulative."product" AND stored.month <= cumulative.month ORDER BY stored.month DESC LIMIT 1) before ON true),
  month_rows AS (INSERT INTO "acc_stock__totals" AS totals (month, "warehouse", "product", "quantity_receipt", "quantity_expense", "quantity", "amount_receipt", "amount_expense", "amount")
        SELECT month, "warehouse", "product", "quantity_receipt", "quantity_expense", "quantity", "amount_receipt", "amount_expense", "amount" FROM absolute
        ON CONFLICT (area, "warehouse", "product", month) DO UPDATE SET "quantity_receipt" = excluded."quantity_receipt", "quantity_expense" = excluded."quantity_expense", "quantity" = excluded."quantity", "amount_receipt" = excluded."amount_receipt", "amount_expense" = excluded."amount_expense", "amount" = excluded."amount"
        RETURNING (totals."quantity_receipt" = 0 AND totals."amount_receipt" = 0 AND totals."quantity_expense" = 0 AND totals."amount_expense" = 0) AS zero)
  SELECT (SELECT count(*) FILTER (WHERE zero) FROM month_rows), (SELECT count(*) FILTER (WHERE later) FROM absolute) INTO v$zero, v$later;
  IF v$later > 0 THEN
    WITH delta AS (SELECT * FROM pg_temp."acc_stock__delta" delta),
    shift AS (SELECT later."warehouse", later."product", later.month, sum(delta.rcpt$1 - delta.exp$1) AS net$1, sum(delta.rcpt$2 - delta.exp$2) AS net$2
            FROM delta JOIN "acc_stock__totals" later ON later.area = v$area AND later."warehouse" = delta."warehouse" AND later."product" = delta."product" AND later.month > delta.month
           WHERE (later."warehouse", later."product", later.month) NOT IN (SELECT in_delta."warehouse", in_delta."product", in_delta.month FROM delta in_delta)
           GROUP BY later."warehouse", later."product", later.month)
    UPDATE "acc_stock__totals" totals SET "quantity" = totals."quantity" + shift.net$1, "amount" = totals."amount" + shift.net$2
      FROM shift WHERE totals.area = v$area AND totals."warehouse" = shift."warehouse" AND totals."product" = shift."product" AND totals.month = shift.month;
  END IF;
  WITH per_key AS (SELECT delta."warehouse", delta."product", sum(delta.rcpt$1 - delta.exp$1) AS net$1, sum(delta.rcpt$2 - delta.exp$2) AS net$2
               FROM pg_temp."acc_stock__delta" delta GROUP BY delta."warehouse", delta."product"),
       balance_rows AS (INSERT INTO "acc_stock__balance" AS balance ("warehouse", "product", "quantity", "amount")
          SELECT "warehouse", "product", net$1, net$2 FROM per_key WHERE net$1 <> 0 OR net$2 <> 0
          ON CONFLICT (area, "warehouse", "product") DO UPDATE SET "quantity" = balance."quantity" + excluded."quantity", "amount" = balance."amount" + excluded."amount"
          RETURNING balance."warehouse", balance."product", balance."quantity", balance."amount")
  SELECT count(*) FILTER (WHERE balance."quantity" = 0 AND balance."amount" = 0),
         jsonb_agg(jsonb_build_object('warehouse', balance."warehouse", 'product', balance."product", 'quantity', balance."quantity"::text, 'amount', balance."amount"::text)) FILTER (WHERE (balance."quantity" < 0 AND per_key.net$1 < 0) OR (balance."amount" < 0 AND per_key.net$2 < 0))
    INTO v$bzero, v$neg
    FROM balance_rows balance JOIN per_key ON balance."warehouse" = per_key."warehouse" AND balance."product" = per_key."product";
  END IF;
  IF v$zero > 0 THEN
    DELETE FROM "acc_stock__totals" totals USING pg_temp."acc_stock__delta" delta WHERE totals.area = v$area AND totals."warehouse" = delta."warehouse" AND totals."product" = delta."product" AND totals.month = delta.month AND totals."quantity_receipt" = 0 AND totals."amount_receipt" = 0 AND totals."quantity_expense" = 0 AND totals."amount_expense" = 0;
  END IF;
  IF v$bzero > 0 THEN
    DELETE FROM "acc_stock__balance" balance USING pg_temp."acc_stock__delta" delta WHERE balance.area = v$area AND balance."warehouse" = delta."warehouse" AND balance."product" = delta."product" AND balance."quantity" = 0 AND balance."amount" = 0;
  END IF;
  IF p$check AND v$neg IS NOT NULL THEN
    SELECT jsonb_agg(refused_key || jsonb_build_object('warehouse__name', (SELECT COALESCE(NULLIF(referenced.name, ''), referenced.code) FROM "cat_warehouses" referenced WHERE referenced.id = (refused_key->>'warehouse')::uuid), 'product__name', (SELECT COALESCE(NULLIF(referenced.name, ''), referenced.code) FROM "cat_products" referenced WHERE referenced.id = (refused_key->>'product')::uuid))) INTO v$neg FROM jsonb_array_elements(v$neg) refused_key;
    RAISE EXCEPTION USING ERRCODE = 'ZR001', MESSAGE = 'acc_stock: negative balance', DETAIL = v$neg::text;
  END IF;
END
$fn$;
COMMENT ON FUNCTION "acc_stock__write_staged"(uuid, character varying, boolean) IS 'register engine';
GRANT EXECUTE ON FUNCTION "acc_stock__write_staged"(uuid, character varying, boolean) TO "app_user";
