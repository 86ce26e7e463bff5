CREATE OR REPLACE FUNCTION "acc_stock__write"(p$recorder uuid, p$kind character varying, p$check boolean, p$rows jsonb) RETURNS void LANGUAGE plpgsql VOLATILE SECURITY INVOKER
SET enable_seqscan = off
SET enable_bitmapscan = off
SET enable_hashjoin = off
SET enable_mergejoin = off
SET plan_cache_mode = force_generic_plan AS $fn$
DECLARE
  v$area integer := nullif(current_setting('app.area', true), '')::integer;
  d$month date[];
  d$k1 uuid[];
  d$k2 uuid[];
  d$r1 numeric[];
  d$r2 numeric[];
  d$e1 numeric[];
  d$e2 numeric[];
  o$month date[];
  o$k1 uuid[];
  o$k2 uuid[];
  o$r1 numeric[];
  o$r2 numeric[];
  o$e1 numeric[];
  o$e2 numeric[];
  v$locks integer[];
  v$later bigint;
  v$zero bigint;
  v$bzero bigint;
  v$neg jsonb;
  v$i integer;
  v$r record;
BEGIN
  IF v$area IS NULL THEN RAISE EXCEPTION 'acc_stock__write: app.area is not set'; END IF;
  IF (SELECT line FROM "acc_stock" WHERE area = v$area AND recorder = p$recorder ORDER BY recorder, line OFFSET 5000 LIMIT 1) IS NOT NULL THEN
    DROP TABLE IF EXISTS pg_temp."acc_stock__in"; CREATE TEMP TABLE "acc_stock__in" (line integer, period timestamp(0) without time zone, record_kind smallint, "warehouse" uuid, "product" uuid, "quantity" numeric(15,3), "amount" numeric(15,2)) ON COMMIT DROP;
    INSERT INTO pg_temp."acc_stock__in" (line, period, record_kind, "warehouse", "product", "quantity", "amount")
      SELECT new_row.line, (new_row.fields->>0)::timestamp, (new_row.fields->>1)::smallint, (new_row.fields->>2)::uuid, (new_row.fields->>3)::uuid, (new_row.fields->>4)::numeric, (new_row.fields->>5)::numeric FROM jsonb_array_elements(p$rows->'rows') WITH ORDINALITY AS new_row(fields, line);
    PERFORM "acc_stock__write_staged"(p$recorder, p$kind, p$check);
    RETURN;
  END IF;
  IF (SELECT line FROM "acc_stock" WHERE area = v$area AND recorder = p$recorder ORDER BY recorder, line LIMIT 1) IS NULL THEN
    WITH inserted AS (INSERT INTO "acc_stock" (recorder, recorder_kind, line, period, record_kind, "warehouse", "product", "quantity", "amount")
  SELECT p$recorder, p$kind, new_row.line, (new_row.fields->>0)::timestamp, (new_row.fields->>1)::smallint, (new_row.fields->>2)::uuid, (new_row.fields->>3)::uuid, (new_row.fields->>4)::numeric, (new_row.fields->>5)::numeric FROM jsonb_array_elements(p$rows->'rows') WITH ORDINALITY AS new_row(fields, line))
    SELECT array_agg(month), array_agg("warehouse"), array_agg("product"), array_agg(rcpt$1), array_agg(rcpt$2), array_agg(exp$1), array_agg(exp$2), array_agg(DISTINCT hashtext(concat_ws(chr(31), v$area, "warehouse", "product")) ORDER BY hashtext(concat_ws(chr(31), v$area, "warehouse", "product"))) INTO d$month, d$k1, d$k2, d$r1, d$r2, d$e1, d$e2, v$locks FROM (SELECT (delta_row->>0)::date AS month, (delta_row->>1)::uuid AS "warehouse", (delta_row->>2)::uuid AS "product", (delta_row->>3)::numeric AS rcpt$1, (delta_row->>4)::numeric AS rcpt$2, (delta_row->>5)::numeric AS exp$1, (delta_row->>6)::numeric AS exp$2
                FROM jsonb_array_elements(p$rows->'delta') delta_row) new_delta;
  ELSE
    WITH old AS (DELETE FROM "acc_stock" WHERE area = v$area AND recorder = p$recorder AND line = ANY (ARRAY(SELECT line FROM "acc_stock" WHERE area = v$area AND recorder = p$recorder ORDER BY recorder, line))
                    RETURNING period, record_kind, "warehouse", "product", "quantity", "amount"),
    old_grouped AS (SELECT date_trunc('month', old_row.period)::date AS month, old_row."warehouse", old_row."product", coalesce(sum(old_row."quantity") FILTER (WHERE old_row.record_kind = 1), 0) AS rcpt$1, coalesce(sum(old_row."amount") FILTER (WHERE old_row.record_kind = 1), 0) AS rcpt$2, coalesce(sum(old_row."quantity") FILTER (WHERE old_row.record_kind = -1), 0) AS exp$1, coalesce(sum(old_row."amount") FILTER (WHERE old_row.record_kind = -1), 0) AS exp$2
            FROM old old_row GROUP BY 1, old_row."warehouse", old_row."product"),
    inserted AS (INSERT INTO "acc_stock" (recorder, recorder_kind, line, period, record_kind, "warehouse", "product", "quantity", "amount")
  SELECT p$recorder, p$kind, new_row.line, (new_row.fields->>0)::timestamp, (new_row.fields->>1)::smallint, (new_row.fields->>2)::uuid, (new_row.fields->>3)::uuid, (new_row.fields->>4)::numeric, (new_row.fields->>5)::numeric FROM jsonb_array_elements(p$rows->'rows') WITH ORDINALITY AS new_row(fields, line) WHERE (SELECT count(*) FROM old_grouped) >= 0)
    SELECT old_arrays.*, new_arrays.* INTO o$month, o$k1, o$k2, o$r1, o$r2, o$e1, o$e2, d$month, d$k1, d$k2, d$r1, d$r2, d$e1, d$e2, v$locks
      FROM (SELECT array_agg(month), array_agg("warehouse"), array_agg("product"), array_agg(rcpt$1), array_agg(rcpt$2), array_agg(exp$1), array_agg(exp$2) FROM old_grouped) old_arrays,
           (SELECT array_agg(month), array_agg("warehouse"), array_agg("product"), array_agg(rcpt$1), array_agg(rcpt$2), array_agg(exp$1), array_agg(exp$2), array_agg(DISTINCT hashtext(concat_ws(chr(31), v$area, "warehouse", "product")) ORDER BY hashtext(concat_ws(chr(31), v$area, "warehouse", "product"))) FROM (SELECT (delta_row->>0)::date AS month, (delta_row->>1)::uuid AS "warehouse", (delta_row->>2)::uuid AS "product", (delta_row->>3)::numeric AS rcpt$1, (delta_row->>4)::numeric AS rcpt$2, (delta_row->>5)::numeric AS exp$1, (delta_row->>6)::numeric AS exp$2
                FROM jsonb_array_elements(p$rows->'delta') delta_row) new_delta) new_arrays;
  END IF;
  IF o$month IS NOT NULL THEN
    SELECT array_agg(month), array_agg("warehouse"), array_agg("product"), array_agg(rcpt$1), array_agg(rcpt$2), array_agg(exp$1), array_agg(exp$2), array_agg(DISTINCT hashtext(concat_ws(chr(31), v$area, "warehouse", "product")) ORDER BY hashtext(concat_ws(chr(31), v$area, "warehouse", "product")))
    INTO d$month, d$k1, d$k2, d$r1, d$r2, d$e1, d$e2, v$locks
    FROM (SELECT month, "warehouse", "product", sum(rcpt$1) AS rcpt$1, sum(rcpt$2) AS rcpt$2, sum(exp$1) AS exp$1, sum(exp$2) AS exp$2
      FROM (SELECT (delta_row->>0)::date AS month, (delta_row->>1)::uuid AS "warehouse", (delta_row->>2)::uuid AS "product", (delta_row->>3)::numeric AS rcpt$1, (delta_row->>4)::numeric AS rcpt$2, (delta_row->>5)::numeric AS exp$1, (delta_row->>6)::numeric AS exp$2
                FROM jsonb_array_elements(p$rows->'delta') delta_row
            UNION ALL
            SELECT old_delta.month, old_delta."warehouse", old_delta."product", -old_delta.rcpt$1, -old_delta.rcpt$2, -old_delta.exp$1, -old_delta.exp$2 FROM unnest(o$month, o$k1, o$k2, o$r1, o$r2, o$e1, o$e2) old_delta(month, "warehouse", "product", rcpt$1, rcpt$2, exp$1, exp$2)) new_and_old
     GROUP BY month, "warehouse", "product"
    HAVING sum(rcpt$1) <> 0 OR sum(rcpt$2) <> 0 OR sum(exp$1) <> 0 OR sum(exp$2) <> 0) merged;
  END IF;
  IF d$month IS NULL THEN RETURN; END IF;
  IF cardinality(v$locks) > 1000 THEN
    PERFORM pg_advisory_xact_lock(1124131497, v$area);
  ELSE
    PERFORM pg_advisory_xact_lock_shared(1124131497, v$area);
    PERFORM pg_advisory_xact_lock(1392340020, key_hash) FROM unnest(v$locks) key_hash;
  END IF;
  IF cardinality(v$locks) = cardinality(d$month) THEN
  WITH delta AS (SELECT * FROM unnest(d$month, d$k1, d$k2, d$r1, d$r2, d$e1, d$e2) delta(month, "warehouse", "product", rcpt$1, rcpt$2, exp$1, exp$2)),
  probed AS (SELECT delta.*, latest.month AS last$, CASE WHEN latest.month < delta.month THEN latest."quantity" WHEN latest.month > delta.month THEN carried."quantity" END AS base$1, CASE WHEN latest.month < delta.month THEN latest."amount" WHEN latest.month > delta.month THEN carried."amount" END AS base$2
           FROM delta LEFT JOIN LATERAL (SELECT stored.month, stored."quantity", stored."amount" FROM "acc_stock__totals" stored
                                      WHERE stored.area = v$area AND stored."warehouse" = delta."warehouse" AND stored."product" = delta."product" ORDER BY stored.month DESC LIMIT 1) latest ON true
                      LEFT JOIN LATERAL (SELECT stored."quantity", stored."amount" FROM "acc_stock__totals" stored
                                      WHERE latest.month > delta.month AND stored.area = v$area AND stored."warehouse" = delta."warehouse" AND stored."product" = delta."product" AND stored.month < delta.month ORDER BY stored.month DESC LIMIT 1) carried ON true),
  month_rows AS (INSERT INTO "acc_stock__totals" AS totals (month, "warehouse", "product", "quantity_receipt", "quantity_expense", "quantity", "amount_receipt", "amount_expense", "amount")
          SELECT probed.month, probed."warehouse", probed."product", probed.rcpt$1, probed.exp$1, coalesce(probed.base$1, 0) + probed.rcpt$1 - probed.exp$1, probed.rcpt$2, probed.exp$2, coalesce(probed.base$2, 0) + probed.rcpt$2 - probed.exp$2 FROM probed
          ON CONFLICT (area, "warehouse", "product", month) DO UPDATE SET
             "quantity_receipt" = totals."quantity_receipt" + excluded."quantity_receipt", "quantity_expense" = totals."quantity_expense" + excluded."quantity_expense", "quantity" = totals."quantity" + excluded."quantity_receipt" - excluded."quantity_expense",
             "amount_receipt" = totals."amount_receipt" + excluded."amount_receipt", "amount_expense" = totals."amount_expense" + excluded."amount_expense", "amount" = totals."amount" + excluded."amount_receipt" - excluded."amount_expense"
          RETURNING (totals."quantity_receipt" = 0 AND totals."amount_receipt" = 0 AND totals."quantity_expense" = 0 AND totals."amount_expense" = 0) AS zero),
  balance_rows AS (INSERT INTO "acc_stock__balance" AS balance ("warehouse", "product", "quantity", "amount")
          SELECT probed."warehouse", probed."product", probed.rcpt$1 - probed.exp$1, probed.rcpt$2 - probed.exp$2 FROM probed WHERE probed.rcpt$1 <> probed.exp$1 OR probed.rcpt$2 <> probed.exp$2
          ON CONFLICT (area, "warehouse", "product") DO UPDATE SET "quantity" = balance."quantity" + excluded."quantity", "amount" = balance."amount" + excluded."amount"
          RETURNING balance."warehouse", balance."product", balance."quantity", balance."amount")
  SELECT (SELECT count(*) FILTER (WHERE zero) FROM month_rows),
         (SELECT count(*) FROM probed WHERE (probed.rcpt$1 <> probed.exp$1 OR probed.rcpt$2 <> probed.exp$2) AND probed.last$ > probed.month),
         (SELECT count(*) FILTER (WHERE balance."quantity" = 0 AND balance."amount" = 0) FROM balance_rows balance),
         (SELECT jsonb_agg(jsonb_build_object('warehouse', balance."warehouse", 'product', balance."product", 'quantity', balance."quantity"::text, 'amount', balance."amount"::text)) FILTER (WHERE (balance."quantity" < 0 AND delta.rcpt$1 < delta.exp$1) OR (balance."amount" < 0 AND delta.rcpt$2 < delta.exp$2)) FROM balance_rows balance JOIN delta ON balance."warehouse" = delta."warehouse" AND balance."product" = delta."product")
    INTO v$zero, v$later, v$bzero, v$neg;
  IF v$later > 0 THEN
    FOR v$i IN 1 .. cardinality(d$month) LOOP
      UPDATE "acc_stock__totals" later SET "quantity" = later."quantity" + (d$r1[v$i] - d$e1[v$i]), "amount" = later."amount" + (d$r2[v$i] - d$e2[v$i])
       WHERE later.area = v$area AND later."warehouse" = d$k1[v$i] AND later."product" = d$k2[v$i] AND later.month > d$month[v$i];
    END LOOP;
  END IF;
  ELSE
  WITH delta AS (SELECT * FROM unnest(d$month, d$k1, d$k2, d$r1, d$r2, d$e1, d$e2) delta(month, "warehouse", "product", rcpt$1, rcpt$2, exp$1, exp$2)),
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
    FOR v$r IN
      WITH delta AS (SELECT * FROM unnest(d$month, d$k1, d$k2, d$r1, d$r2, d$e1, d$e2) delta(month, "warehouse", "product", rcpt$1, rcpt$2, exp$1, exp$2))
      SELECT later."warehouse", later."product", later.month, sum(delta.rcpt$1 - delta.exp$1) AS net$1, sum(delta.rcpt$2 - delta.exp$2) AS net$2
        FROM delta CROSS JOIN LATERAL (SELECT later."warehouse", later."product", later.month FROM "acc_stock__totals" later WHERE later.area = v$area AND later."warehouse" = delta."warehouse" AND later."product" = delta."product" AND later.month > delta.month OFFSET 0) later
       WHERE (later."warehouse", later."product", later.month) NOT IN (SELECT in_delta."warehouse", in_delta."product", in_delta.month FROM delta in_delta)
       GROUP BY later."warehouse", later."product", later.month
    LOOP
      UPDATE "acc_stock__totals" totals SET "quantity" = totals."quantity" + v$r.net$1, "amount" = totals."amount" + v$r.net$2
       WHERE totals.area = v$area AND totals."warehouse" = v$r."warehouse" AND totals."product" = v$r."product" AND totals.month = v$r.month;
    END LOOP;
  END IF;
  WITH per_key AS (SELECT delta."warehouse", delta."product", sum(delta.rcpt$1 - delta.exp$1) AS net$1, sum(delta.rcpt$2 - delta.exp$2) AS net$2
               FROM unnest(d$month, d$k1, d$k2, d$r1, d$r2, d$e1, d$e2) delta(month, "warehouse", "product", rcpt$1, rcpt$2, exp$1, exp$2) GROUP BY delta."warehouse", delta."product"),
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
    FOR v$i IN 1 .. cardinality(d$month) LOOP
      DELETE FROM "acc_stock__totals" totals WHERE totals.area = v$area AND totals."warehouse" = d$k1[v$i] AND totals."product" = d$k2[v$i] AND totals.month = d$month[v$i] AND totals."quantity_receipt" = 0 AND totals."amount_receipt" = 0 AND totals."quantity_expense" = 0 AND totals."amount_expense" = 0;
    END LOOP;
  END IF;
  IF v$bzero > 0 THEN
    FOR v$i IN 1 .. cardinality(d$month) LOOP
      DELETE FROM "acc_stock__balance" balance WHERE balance.area = v$area AND balance."warehouse" = d$k1[v$i] AND balance."product" = d$k2[v$i] AND balance."quantity" = 0 AND balance."amount" = 0;
    END LOOP;
  END IF;
  IF p$check AND v$neg IS NOT NULL THEN
    SELECT jsonb_agg(refused_key || jsonb_build_object('warehouse__name', (SELECT COALESCE(NULLIF(referenced.name, ''), referenced.code) FROM "cat_warehouses" referenced WHERE referenced.id = (refused_key->>'warehouse')::uuid), 'product__name', (SELECT COALESCE(NULLIF(referenced.name, ''), referenced.code) FROM "cat_products" referenced WHERE referenced.id = (refused_key->>'product')::uuid))) INTO v$neg FROM jsonb_array_elements(v$neg) refused_key;
    RAISE EXCEPTION USING ERRCODE = 'ZR001', MESSAGE = 'acc_stock: negative balance', DETAIL = v$neg::text;
  END IF;
END
$fn$;
COMMENT ON FUNCTION "acc_stock__write"(uuid, character varying, boolean, jsonb) IS 'register engine';
GRANT EXECUTE ON FUNCTION "acc_stock__write"(uuid, character varying, boolean, jsonb) TO "app_user";
