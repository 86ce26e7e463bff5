CREATE OR REPLACE FUNCTION "acc_accounting__write_staged"(p$recorder uuid, p$kind character varying, p$check boolean) RETURNS void LANGUAGE plpgsql VOLATILE SECURITY INVOKER
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
  IF v$area IS NULL THEN RAISE EXCEPTION 'acc_accounting__write_staged: app.area is not set'; END IF;
  DROP TABLE IF EXISTS pg_temp."acc_accounting__old";
  CREATE TEMP TABLE "acc_accounting__old" (month date, "account" uuid, "analytics1" character varying, "analytics2" character varying, "analytics3" character varying, rcpt$1 numeric, rcpt$2 numeric, exp$1 numeric, exp$2 numeric) ON COMMIT DROP;
  IF (SELECT line FROM "acc_accounting" WHERE area = v$area AND recorder = p$recorder ORDER BY recorder, line LIMIT 1) IS NOT NULL THEN
    WITH old AS (DELETE FROM "acc_accounting" WHERE area = v$area AND recorder = p$recorder
                    RETURNING period, record_kind, "account", "analytics1", "analytics2", "analytics3", "amount", "quantity")
    INSERT INTO pg_temp."acc_accounting__old" SELECT date_trunc('month', old_row.period)::date AS month, old_row."account", old_row."analytics1", old_row."analytics2", old_row."analytics3", coalesce(sum(old_row."amount") FILTER (WHERE old_row.record_kind = 1), 0) AS rcpt$1, coalesce(sum(old_row."quantity") FILTER (WHERE old_row.record_kind = 1), 0) AS rcpt$2, coalesce(sum(old_row."amount") FILTER (WHERE old_row.record_kind = -1), 0) AS exp$1, coalesce(sum(old_row."quantity") FILTER (WHERE old_row.record_kind = -1), 0) AS exp$2
            FROM old old_row GROUP BY 1, old_row."account", old_row."analytics1", old_row."analytics2", old_row."analytics3";
    v$old := true;
  ELSE
    v$old := false;
  END IF;
  INSERT INTO "acc_accounting" (recorder, recorder_kind, line, period, record_kind, "account", "analytics1", "analytics2", "analytics3", "amount", "quantity", "entry", "corr_account", "content")
  SELECT p$recorder, p$kind, staged.line, staged.period, staged.record_kind, staged."account", staged."analytics1", staged."analytics2", staged."analytics3", staged."amount", staged."quantity", staged."entry", staged."corr_account", staged."content" FROM pg_temp."acc_accounting__in" staged;
  IF NOT v$old THEN
    DROP TABLE IF EXISTS pg_temp."acc_accounting__delta";
    CREATE TEMP TABLE "acc_accounting__delta" ON COMMIT DROP AS SELECT date_trunc('month', staged.period)::date AS month, staged."account", staged."analytics1", staged."analytics2", staged."analytics3", CASE WHEN staged.record_kind = 1 THEN staged."amount" ELSE 0 END AS rcpt$1, CASE WHEN staged.record_kind = 1 THEN staged."quantity" ELSE 0 END AS rcpt$2, CASE WHEN staged.record_kind = -1 THEN staged."amount" ELSE 0 END AS exp$1, CASE WHEN staged.record_kind = -1 THEN staged."quantity" ELSE 0 END AS exp$2,
             row_number() OVER (PARTITION BY staged."account", staged."analytics1", staged."analytics2", staged."analytics3" ORDER BY date_trunc('month', staged.period)::date) AS first$
      FROM pg_temp."acc_accounting__in" staged WHERE staged."amount" <> 0 OR staged."quantity" <> 0 ORDER BY "account", "analytics1", "analytics2", "analytics3", month;
    SELECT count(*), count(*) FILTER (WHERE first$ = 1) INTO v$rows, v$keys FROM pg_temp."acc_accounting__delta";
  END IF;
  IF v$old OR v$keys < v$rows THEN
    DROP TABLE IF EXISTS pg_temp."acc_accounting__delta";
    CREATE TEMP TABLE "acc_accounting__delta" ON COMMIT DROP AS SELECT month, "account", "analytics1", "analytics2", "analytics3", sum(rcpt$1) AS rcpt$1, sum(rcpt$2) AS rcpt$2, sum(exp$1) AS exp$1, sum(exp$2) AS exp$2
      FROM (SELECT date_trunc('month', staged.period)::date AS month, staged."account", staged."analytics1", staged."analytics2", staged."analytics3", coalesce(sum(staged."amount") FILTER (WHERE staged.record_kind = 1), 0) AS rcpt$1, coalesce(sum(staged."quantity") FILTER (WHERE staged.record_kind = 1), 0) AS rcpt$2, coalesce(sum(staged."amount") FILTER (WHERE staged.record_kind = -1), 0) AS exp$1, coalesce(sum(staged."quantity") FILTER (WHERE staged.record_kind = -1), 0) AS exp$2
                FROM pg_temp."acc_accounting__in" staged GROUP BY 1, staged."account", staged."analytics1", staged."analytics2", staged."analytics3"
            UNION ALL
            SELECT old_delta.month, old_delta."account", old_delta."analytics1", old_delta."analytics2", old_delta."analytics3", -old_delta.rcpt$1, -old_delta.rcpt$2, -old_delta.exp$1, -old_delta.exp$2 FROM pg_temp."acc_accounting__old" old_delta) new_and_old
     GROUP BY month, "account", "analytics1", "analytics2", "analytics3"
    HAVING sum(rcpt$1) <> 0 OR sum(rcpt$2) <> 0 OR sum(exp$1) <> 0 OR sum(exp$2) <> 0 ORDER BY "account", "analytics1", "analytics2", "analytics3", month;
    SELECT count(*), count(DISTINCT ("account", "analytics1", "analytics2", "analytics3")) INTO v$rows, v$keys FROM pg_temp."acc_accounting__delta";
  END IF;
  IF v$rows = 0 THEN RETURN; END IF;
  IF v$keys > 1000 THEN
    PERFORM pg_advisory_xact_lock(1895264834, v$area);
  ELSE
    PERFORM pg_advisory_xact_lock_shared(1895264834, v$area);
    PERFORM pg_advisory_xact_lock(1777839999, key_hash) FROM (SELECT DISTINCT hashtext(concat_ws(chr(31), v$area, delta."account", delta."analytics1", delta."analytics2", delta."analytics3")) AS key_hash FROM pg_temp."acc_accounting__delta" delta ORDER BY 1) hashes;
  END IF;
  IF v$keys = v$rows THEN
  WITH delta AS (SELECT * FROM pg_temp."acc_accounting__delta" delta),
  probed AS (SELECT delta.*, latest.month AS last$, CASE WHEN latest.month < delta.month THEN latest."amount" WHEN latest.month > delta.month THEN carried."amount" END AS base$1, CASE WHEN latest.month < delta.month THEN latest."quantity" WHEN latest.month > delta.month THEN carried."quantity" END AS base$2
           FROM delta LEFT JOIN LATERAL (SELECT stored.month, stored."amount", stored."quantity" FROM "acc_accounting__totals" stored
                                      WHERE stored.area = v$area AND stored."account" = delta."account" AND stored."analytics1" = delta."analytics1" AND stored."analytics2" = delta."analytics2" AND stored."analytics3" = delta."analytics3" ORDER BY stored.month DESC LIMIT 1) latest ON true
                      LEFT JOIN LATERAL (SELECT stored."amount", stored."quantity" FROM "acc_accounting__totals" stored
                                      WHERE latest.month > delta.month AND stored.area = v$area AND stored."account" = delta."account" AND stored."analytics1" = delta."analytics1" AND stored."analytics2" = delta."analytics2" AND stored."analytics3" = delta."analytics3" AND stored.month < delta.month ORDER BY stored.month DESC LIMIT 1) carried ON true),
  new_month_rows AS (INSERT INTO "acc_accounting__totals" AS totals (month, "account", "analytics1", "analytics2", "analytics3", "amount_receipt", "amount_expense", "amount", "quantity_receipt", "quantity_expense", "quantity")
          SELECT probed.month, probed."account", probed."analytics1", probed."analytics2", probed."analytics3", probed.rcpt$1, probed.exp$1, coalesce(probed.base$1, 0) + probed.rcpt$1 - probed.exp$1, probed.rcpt$2, probed.exp$2, coalesce(probed.base$2, 0) + probed.rcpt$2 - probed.exp$2 FROM probed WHERE probed.last$ IS NULL),
  month_rows AS (INSERT INTO "acc_accounting__totals" AS totals (month, "account", "analytics1", "analytics2", "analytics3", "amount_receipt", "amount_expense", "amount", "quantity_receipt", "quantity_expense", "quantity")
          SELECT probed.month, probed."account", probed."analytics1", probed."analytics2", probed."analytics3", probed.rcpt$1, probed.exp$1, coalesce(probed.base$1, 0) + probed.rcpt$1 - probed.exp$1, probed.rcpt$2, probed.exp$2, coalesce(probed.base$2, 0) + probed.rcpt$2 - probed.exp$2 FROM probed WHERE probed.last$ IS NOT NULL
          ON CONFLICT (area, "account", "analytics1", "analytics2", "analytics3", month) DO UPDATE SET
             "amount_receipt" = totals."amount_receipt" + excluded."amount_receipt", "amount_expense" = totals."amount_expense" + excluded."amount_expense", "amount" = totals."amount" + excluded."amount_receipt" - excluded."amount_expense",
             "quantity_receipt" = totals."quantity_receipt" + excluded."quantity_receipt", "quantity_expense" = totals."quantity_expense" + excluded."quantity_expense", "quantity" = totals."quantity" + excluded."quantity_receipt" - excluded."quantity_expense"
          RETURNING (totals."amount_receipt" = 0 AND totals."quantity_receipt" = 0 AND totals."amount_expense" = 0 AND totals."quantity_expense" = 0) AS zero),
  new_balance_rows AS (INSERT INTO "acc_accounting__balance" AS balance ("account", "analytics1", "analytics2", "analytics3", "amount", "quantity")
          SELECT probed."account", probed."analytics1", probed."analytics2", probed."analytics3", probed.rcpt$1 - probed.exp$1, probed.rcpt$2 - probed.exp$2 FROM probed WHERE probed.last$ IS NULL AND (probed.rcpt$1 <> probed.exp$1 OR probed.rcpt$2 <> probed.exp$2)),
  balance_rows AS (INSERT INTO "acc_accounting__balance" AS balance ("account", "analytics1", "analytics2", "analytics3", "amount", "quantity")
          SELECT probed."account", probed."analytics1", probed."analytics2", probed."analytics3", probed.rcpt$1 - probed.exp$1, probed.rcpt$2 - probed.exp$2 FROM probed WHERE probed.last$ IS NOT NULL AND (probed.rcpt$1 <> probed.exp$1 OR probed.rcpt$2 <> probed.exp$2)
          ON CONFLICT (area, "account", "analytics1", "analytics2", "analytics3") DO UPDATE SET "amount" = balance."amount" + excluded."amount", "quantity" = balance."quantity" + excluded."quantity"
          RETURNING balance."account", balance."analytics1", balance."analytics2", balance."analytics3", balance."amount", balance."quantity")
  SELECT (SELECT count(*) FILTER (WHERE zero) FROM month_rows),
         (SELECT count(*) FROM probed WHERE (probed.rcpt$1 <> probed.exp$1 OR probed.rcpt$2 <> probed.exp$2) AND probed.last$ > probed.month),
         (SELECT count(*) FILTER (WHERE balance."amount" = 0 AND balance."quantity" = 0) FROM balance_rows balance),
         nullif(coalesce((SELECT jsonb_agg(jsonb_build_object('account', balance."account", 'analytics1', balance."analytics1", 'analytics2', balance."analytics2", 'analytics3', balance."analytics3", 'amount', balance."amount"::text, 'quantity', balance."quantity"::text)) FILTER (WHERE (balance."amount" < 0 AND delta.rcpt$1 < delta.exp$1) OR (balance."quantity" < 0 AND delta.rcpt$2 < delta.exp$2)) FROM balance_rows balance JOIN delta ON balance."account" = delta."account" AND balance."analytics1" = delta."analytics1" AND balance."analytics2" = delta."analytics2" AND balance."analytics3" = delta."analytics3"), '[]'::jsonb)
                || coalesce((SELECT jsonb_agg(jsonb_build_object('account', balance."account", 'analytics1', balance."analytics1", 'analytics2', balance."analytics2", 'analytics3', balance."analytics3", 'amount', balance."amount"::text, 'quantity', balance."quantity"::text)) FROM (SELECT probed."account", probed."analytics1", probed."analytics2", probed."analytics3", probed.rcpt$1 - probed.exp$1 AS "amount", probed.rcpt$2 - probed.exp$2 AS "quantity" FROM probed WHERE probed.last$ IS NULL AND ((probed.rcpt$1 < probed.exp$1) OR (probed.rcpt$2 < probed.exp$2))) balance), '[]'::jsonb), '[]'::jsonb)
    INTO v$zero, v$later, v$bzero, v$neg;
  IF v$later > 0 THEN
    WITH delta AS (SELECT * FROM pg_temp."acc_accounting__delta" delta)
    UPDATE "acc_accounting__totals" later SET "amount" = later."amount" + (delta.rcpt$1 - delta.exp$1), "quantity" = later."quantity" + (delta.rcpt$2 - delta.exp$2)
      FROM delta WHERE later.area = v$area AND later."account" = delta."account" AND later."analytics1" = delta."analytics1" AND later."analytics2" = delta."analytics2" AND later."analytics3" = delta."analytics3" AND later.month > delta.month;
  END IF;
  ELSE
  WITH delta AS (SELECT * FROM pg_temp."acc_accounting__delta" delta),
  cumulative AS (SELECT delta.*, sum(delta.rcpt$1 - delta.exp$1) OVER (PARTITION BY delta."account", delta."analytics1", delta."analytics2", delta."analytics3" ORDER BY delta.month) AS cum$1, sum(delta.rcpt$2 - delta.exp$2) OVER (PARTITION BY delta."account", delta."analytics1", delta."analytics2", delta."analytics3" ORDER BY delta.month) AS cum$2 FROM delta),
  absolute AS (SELECT cumulative.month, cumulative."account", cumulative."analytics1", cumulative."analytics2", cumulative."analytics3", CASE WHEN before.month = cumulative.month THEN before."amount_receipt" ELSE 0 END + cumulative.rcpt$1 AS "amount_receipt", CASE WHEN before.month = cumulative.month THEN before."amount_expense" ELSE 0 END + cumulative.exp$1 AS "amount_expense", coalesce(before."amount", 0) + cumulative.cum$1 AS "amount",
                 CASE WHEN before.month = cumulative.month THEN before."quantity_receipt" ELSE 0 END + cumulative.rcpt$2 AS "quantity_receipt", CASE WHEN before.month = cumulative.month THEN before."quantity_expense" ELSE 0 END + cumulative.exp$2 AS "quantity_expense", coalesce(before."quantity", 0) + cumulative.cum$2 AS "quantity",
                 (SELECT true FROM "acc_accounting__totals" later_month WHERE later_month.area = v$area AND later_month."account" = cumulative."account" AND later_month."analytics1" = cumulative."analytics1" AND later_month."analytics2" = cumulative."analytics2" AND later_month."analytics3" = cumulative."analytics3" AND later_month.month > cumulative.month LIMIT 1) IS NOT NULL AS later
            FROM cumulative LEFT JOIN LATERAL (SELECT stored.month, stored."amount_receipt", stored."amount_expense", stored."amount", stored."quantity_receipt", stored."quantity_expense", stored."quantity" FROM "acc_accounting__totals" stored
                                       WHERE stored.area = v$area AND stored."account" = cumulative."account" AND stored."analytics1" = cumulative."analytics1" AND stored."analytics2" = cumulative."analytics2" AND stored."analytics3" = cumulative."analytics3" AND stored.month <= cumulative.month ORDER BY stored.month DESC LIMIT 1) before ON true),
  month_rows AS (INSERT INTO "acc_accounting__totals" AS totals (month, "account", "analytics1", "analytics2", "analytics3", "amount_receipt", "amount_expense", "amount", "quantity_receipt", "quantity_expense", "quantity")
        SELECT month, "account", "analytics1", "analytics2", "analytics3", "amount_receipt", "amount_expense", "amount", "quantity_receipt", "quantity_expense", "quantity" FROM absolute
        ON CONFLICT (area, "account", "analytics1", "analytics2", "analytics3", month) DO UPDATE SET "amount_receipt" = excluded."amount_receipt", "amount_expense" = excluded."amount_expense", "amount" = excluded."amount", "quantity_receipt" = excluded."quantity_receipt", "quantity_expense" = excluded."quantity_expense", "quantity" = excluded."quantity"
        RETURNING (totals."amount_receipt" = 0 AND totals."quantity_receipt" = 0 AND totals."amount_expense" = 0 AND totals."quantity_expense" = 0) AS zero)
  SELECT (SELECT count(*) FILTER (WHERE zero) FROM month_rows), (SELECT count(*) FILTER (WHERE later) FROM absolute) INTO v$zero, v$later;
  IF v$later > 0 THEN
    WITH delta AS (SELECT * FROM pg_temp."acc_accounting__delta" delta),
    shift AS (SELECT later."account", later."analytics1", later."analytics2", later."analytics3", later.month, sum(delta.rcpt$1 - delta.exp$1) AS net$1, sum(delta.rcpt$2 - delta.exp$2) AS net$2
            FROM delta JOIN "acc_accounting__totals" later ON later.area = v$area AND later."account" = delta."account" AND later."analytics1" = delta."analytics1" AND later."analytics2" = delta."analytics2" AND later."analytics3" = delta."analytics3" AND later.month > delta.month
           WHERE (later."account", later."analytics1", later."analytics2", later."analytics3", later.month) NOT IN (SELECT in_delta."account", in_delta."analytics1", in_delta."analytics2", in_delta."analytics3", in_delta.month FROM delta in_delta)
           GROUP BY later."account", later."analytics1", later."analytics2", later."analytics3", later.month)
    UPDATE "acc_accounting__totals" totals SET "amount" = totals."amount" + shift.net$1, "quantity" = totals."quantity" + shift.net$2
      FROM shift WHERE totals.area = v$area AND totals."account" = shift."account" AND totals."analytics1" = shift."analytics1" AND totals."analytics2" = shift."analytics2" AND totals."analytics3" = shift."analytics3" AND totals.month = shift.month;
  END IF;
  WITH per_key AS (SELECT delta."account", delta."analytics1", delta."analytics2", delta."analytics3", sum(delta.rcpt$1 - delta.exp$1) AS net$1, sum(delta.rcpt$2 - delta.exp$2) AS net$2
               FROM pg_temp."acc_accounting__delta" delta GROUP BY delta."account", delta."analytics1", delta."analytics2", delta."analytics3"),
       balance_rows AS (INSERT INTO "acc_accounting__balance" AS balance ("account", "analytics1", "analytics2", "analytics3", "amount", "quantity")
          SELECT "account", "analytics1", "analytics2", "analytics3", net$1, net$2 FROM per_key WHERE net$1 <> 0 OR net$2 <> 0
          ON CONFLICT (area, "account", "analytics1", "analytics2", "analytics3") DO UPDATE SET "amount" = balance."amount" + excluded."amount", "quantity" = balance."quantity" + excluded."quantity"
          RETURNING balance."account", balance."analytics1", balance."analytics2", balance."analytics3", balance."amount", balance."quantity")
  SELECT count(*) FILTER (WHERE balance."amount" = 0 AND balance."quantity" = 0),
         jsonb_agg(jsonb_build_object('account', balance."account", 'analytics1', balance."analytics1", 'analytics2', balance."analytics2", 'analytics3', balance."analytics3", 'amount', balance."amount"::text, 'quantity', balance."quantity"::text)) FILTER (WHERE (balance."amount" < 0 AND per_key.net$1 < 0) OR (balance."quantity" < 0 AND per_key.net$2 < 0))
    INTO v$bzero, v$neg
    FROM balance_rows balance JOIN per_key ON balance."account" = per_key."account" AND balance."analytics1" = per_key."analytics1" AND balance."analytics2" = per_key."analytics2" AND balance."analytics3" = per_key."analytics3";
  END IF;
  IF v$zero > 0 THEN
    DELETE FROM "acc_accounting__totals" totals USING pg_temp."acc_accounting__delta" delta WHERE totals.area = v$area AND totals."account" = delta."account" AND totals."analytics1" = delta."analytics1" AND totals."analytics2" = delta."analytics2" AND totals."analytics3" = delta."analytics3" AND totals.month = delta.month AND totals."amount_receipt" = 0 AND totals."quantity_receipt" = 0 AND totals."amount_expense" = 0 AND totals."quantity_expense" = 0;
  END IF;
  IF v$bzero > 0 THEN
    DELETE FROM "acc_accounting__balance" balance USING pg_temp."acc_accounting__delta" delta WHERE balance.area = v$area AND balance."account" = delta."account" AND balance."analytics1" = delta."analytics1" AND balance."analytics2" = delta."analytics2" AND balance."analytics3" = delta."analytics3" AND balance."amount" = 0 AND balance."quantity" = 0;
  END IF;
  IF p$check AND v$neg IS NOT NULL THEN
    SELECT jsonb_agg(refused_key || jsonb_build_object('account__name', (SELECT COALESCE(NULLIF(referenced.code, ''), referenced.name) FROM "cat_accounts" referenced WHERE referenced.id = (refused_key->>'account')::uuid))) INTO v$neg FROM jsonb_array_elements(v$neg) refused_key;
    RAISE EXCEPTION USING ERRCODE = 'ZR001', MESSAGE = 'acc_accounting: negative balance', DETAIL = v$neg::text;
  END IF;
END
$fn$;
COMMENT ON FUNCTION "acc_accounting__write_staged"(uuid, character varying, boolean) IS 'register engine';
GRANT EXECUTE ON FUNCTION "acc_accounting__write_staged"(uuid, character varying, boolean) TO "app_user";
