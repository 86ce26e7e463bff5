CREATE OR REPLACE FUNCTION "acc_accounting__write"(p$recorder uuid, p$kind character varying, p$check boolean, p$rows jsonb) RETURNS void LANGUAGE plpgsql VOLATILE SECURITY INVOKER
SET enable_seqscan = off
SET enable_bitmapscan = off
SET enable_hashjoin = off
SET enable_mergejoin = off
SET plan_cache_mode = force_generic_plan AS $fn$
DECLARE
  v$area integer := nullif(current_setting('app.area', true), '')::integer;
  d$month date[];
  d$k1 uuid[];
  d$k2 character varying[];
  d$k3 character varying[];
  d$k4 character varying[];
  d$r1 numeric[];
  d$r2 numeric[];
  d$e1 numeric[];
  d$e2 numeric[];
  o$month date[];
  o$k1 uuid[];
  o$k2 character varying[];
  o$k3 character varying[];
  o$k4 character varying[];
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
  IF v$area IS NULL THEN RAISE EXCEPTION 'acc_accounting__write: app.area is not set'; END IF;
  IF (SELECT line FROM "acc_accounting" WHERE area = v$area AND recorder = p$recorder ORDER BY recorder, line OFFSET 5000 LIMIT 1) IS NOT NULL THEN
    DROP TABLE IF EXISTS pg_temp."acc_accounting__in"; CREATE TEMP TABLE "acc_accounting__in" (line integer, period timestamp(0) without time zone, record_kind smallint, "account" uuid, "analytics1" character varying(50), "analytics2" character varying(50), "analytics3" character varying(50), "amount" numeric(15,2), "quantity" numeric(15,3), "entry" numeric(9,0), "corr_account" uuid, "content" character varying(150)) ON COMMIT DROP;
    INSERT INTO pg_temp."acc_accounting__in" (line, period, record_kind, "account", "analytics1", "analytics2", "analytics3", "amount", "quantity", "entry", "corr_account", "content")
      SELECT new_row.line, (new_row.fields->>0)::timestamp, (new_row.fields->>1)::smallint, (new_row.fields->>2)::uuid, (new_row.fields->>3)::character varying, (new_row.fields->>4)::character varying, (new_row.fields->>5)::character varying, (new_row.fields->>6)::numeric, (new_row.fields->>7)::numeric, (new_row.fields->>8)::numeric, (new_row.fields->>9)::uuid, (new_row.fields->>10)::character varying FROM jsonb_array_elements(p$rows->'rows') WITH ORDINALITY AS new_row(fields, line);
    PERFORM "acc_accounting__write_staged"(p$recorder, p$kind, p$check);
    RETURN;
  END IF;
  IF (SELECT line FROM "acc_accounting" WHERE area = v$area AND recorder = p$recorder ORDER BY recorder, line LIMIT 1) IS NULL THEN
    WITH inserted AS (INSERT INTO "acc_accounting" (recorder, recorder_kind, line, period, record_kind, "account", "analytics1", "analytics2", "analytics3", "amount", "quantity", "entry", "corr_account", "content")
  SELECT p$recorder, p$kind, new_row.line, (new_row.fields->>0)::timestamp, (new_row.fields->>1)::smallint, (new_row.fields->>2)::uuid, (new_row.fields->>3)::character varying, (new_row.fields->>4)::character varying, (new_row.fields->>5)::character varying, (new_row.fields->>6)::numeric, (new_row.fields->>7)::numeric, (new_row.fields->>8)::numeric, (new_row.fields->>9)::uuid, (new_row.fields->>10)::character varying FROM jsonb_array_elements(p$rows->'rows') WITH ORDINALITY AS new_row(fields, line))
    SELECT array_agg(month), array_agg("account"), array_agg("analytics1"), array_agg("analytics2"), array_agg("analytics3"), array_agg(rcpt$1), array_agg(rcpt$2), array_agg(exp$1), array_agg(exp$2), array_agg(DISTINCT hashtext(concat_ws(chr(31), v$area, "account", "analytics1", "analytics2", "analytics3")) ORDER BY hashtext(concat_ws(chr(31), v$area, "account", "analytics1", "analytics2", "analytics3"))) INTO d$month, d$k1, d$k2, d$k3, d$k4, d$r1, d$r2, d$e1, d$e2, v$locks FROM (SELECT (delta_row->>0)::date AS month, (delta_row->>1)::uuid AS "account", (delta_row->>2)::character varying AS "analytics1", (delta_row->>3)::character varying AS "analytics2", (delta_row->>4)::character varying AS "analytics3", (delta_row->>5)::numeric AS rcpt$1, (delta_row->>6)::numeric AS rcpt$2, (delta_row->>7)::numeric AS exp$1, (delta_row->>8)::numeric AS exp$2
                FROM jsonb_array_elements(p$rows->'delta') delta_row) new_delta;
  ELSE
    WITH old AS (DELETE FROM "acc_accounting" WHERE area = v$area AND recorder = p$recorder AND line = ANY (ARRAY(SELECT line FROM "acc_accounting" WHERE area = v$area AND recorder = p$recorder ORDER BY recorder, line))
                    RETURNING period, record_kind, "account", "analytics1", "analytics2", "analytics3", "amount", "quantity"),
    old_grouped AS (SELECT date_trunc('month', old_row.period)::date AS month, old_row."account", old_row."analytics1", old_row."analytics2", old_row."analytics3", coalesce(sum(old_row."amount") FILTER (WHERE old_row.record_kind = 1), 0) AS rcpt$1, coalesce(sum(old_row."quantity") FILTER (WHERE old_row.record_kind = 1), 0) AS rcpt$2, coalesce(sum(old_row."amount") FILTER (WHERE old_row.record_kind = -1), 0) AS exp$1, coalesce(sum(old_row."quantity") FILTER (WHERE old_row.record_kind = -1), 0) AS exp$2
            FROM old old_row GROUP BY 1, old_row."account", old_row."analytics1", old_row."analytics2", old_row."analytics3"),
    inserted AS (INSERT INTO "acc_accounting" (recorder, recorder_kind, line, period, record_kind, "account", "analytics1", "analytics2", "analytics3", "amount", "quantity", "entry", "corr_account", "content")
  SELECT p$recorder, p$kind, new_row.line, (new_row.fields->>0)::timestamp, (new_row.fields->>1)::smallint, (new_row.fields->>2)::uuid, (new_row.fields->>3)::character varying, (new_row.fields->>4)::character varying, (new_row.fields->>5)::character varying, (new_row.fields->>6)::numeric, (new_row.fields->>7)::numeric, (new_row.fields->>8)::numeric, (new_row.fields->>9)::uuid, (new_row.fields->>10)::character varying FROM jsonb_array_elements(p$rows->'rows') WITH ORDINALITY AS new_row(fields, line) WHERE (SELECT count(*) FROM old_grouped) >= 0)
    SELECT old_arrays.*, new_arrays.* INTO o$month, o$k1, o$k2, o$k3, o$k4, o$r1, o$r2, o$e1, o$e2, d$month, d$k1, d$k2, d$k3, d$k4, d$r1, d$r2, d$e1, d$e2, v$locks
      FROM (SELECT array_agg(month), array_agg("account"), array_agg("analytics1"), array_agg("analytics2"), array_agg("analytics3"), array_agg(rcpt$1), array_agg(rcpt$2), array_agg(exp$1), array_agg(exp$2) FROM old_grouped) old_arrays,
           (SELECT array_agg(month), array_agg("account"), array_agg("analytics1"), array_agg("analytics2"), array_agg("analytics3"), array_agg(rcpt$1), array_agg(rcpt$2), array_agg(exp$1), array_agg(exp$2), array_agg(DISTINCT hashtext(concat_ws(chr(31), v$area, "account", "analytics1", "analytics2", "analytics3")) ORDER BY hashtext(concat_ws(chr(31), v$area, "account", "analytics1", "analytics2", "analytics3"))) FROM (SELECT (delta_row->>0)::date AS month, (delta_row->>1)::uuid AS "account", (delta_row->>2)::character varying AS "analytics1", (delta_row->>3)::character varying AS "analytics2", (delta_row->>4)::character varying AS "analytics3", (delta_row->>5)::numeric AS rcpt$1, (delta_row->>6)::numeric AS rcpt$2, (delta_row->>7)::numeric AS exp$1, (delta_row->>8)::numeric AS exp$2
                FROM jsonb_array_elements(p$rows->'delta') delta_row) new_delta) new_arrays;
  END IF;
  IF o$month IS NOT NULL THEN
    SELECT array_agg(month), array_agg("account"), array_agg("analytics1"), array_agg("analytics2"), array_agg("analytics3"), array_agg(rcpt$1), array_agg(rcpt$2), array_agg(exp$1), array_agg(exp$2), array_agg(DISTINCT hashtext(concat_ws(chr(31), v$area, "account", "analytics1", "analytics2", "analytics3")) ORDER BY hashtext(concat_ws(chr(31), v$area, "account", "analytics1", "analytics2", "analytics3")))
    INTO d$month, d$k1, d$k2, d$k3, d$k4, d$r1, d$r2, d$e1, d$e2, v$locks
    FROM (SELECT month, "account", "analytics1", "analytics2", "analytics3", sum(rcpt$1) AS rcpt$1, sum(rcpt$2) AS rcpt$2, sum(exp$1) AS exp$1, sum(exp$2) AS exp$2
      FROM (SELECT (delta_row->>0)::date AS month, (delta_row->>1)::uuid AS "account", (delta_row->>2)::character varying AS "analytics1", (delta_row->>3)::character varying AS "analytics2", (delta_row->>4)::character varying AS "analytics3", (delta_row->>5)::numeric AS rcpt$1, (delta_row->>6)::numeric AS rcpt$2, (delta_row->>7)::numeric AS exp$1, (delta_row->>8)::numeric AS exp$2
                FROM jsonb_array_elements(p$rows->'delta') delta_row
            UNION ALL
            SELECT old_delta.month, old_delta."account", old_delta."analytics1", old_delta."analytics2", old_delta."analytics3", -old_delta.rcpt$1, -old_delta.rcpt$2, -old_delta.exp$1, -old_delta.exp$2 FROM unnest(o$month, o$k1, o$k2, o$k3, o$k4, o$r1, o$r2, o$e1, o$e2) old_delta(month, "account", "analytics1", "analytics2", "analytics3", rcpt$1, rcpt$2, exp$1, exp$2)) new_and_old
     GROUP BY month, "account", "analytics1", "analytics2", "analytics3"
    HAVING sum(rcpt$1) <> 0 OR sum(rcpt$2) <> 0 OR sum(exp$1) <> 0 OR sum(exp$2) <> 0) merged;
  END IF;
  IF d$month IS NULL THEN RETURN; END IF;
  IF cardinality(v$locks) > 1000 THEN
    PERFORM pg_advisory_xact_lock(1895264834, v$area);
  ELSE
    PERFORM pg_advisory_xact_lock_shared(1895264834, v$area);
    PERFORM pg_advisory_xact_lock(1777839999, key_hash) FROM unnest(v$locks) key_hash;
  END IF;
  IF cardinality(v$locks) = cardinality(d$month) THEN
  WITH delta AS (SELECT * FROM unnest(d$month, d$k1, d$k2, d$k3, d$k4, d$r1, d$r2, d$e1, d$e2) delta(month, "account", "analytics1", "analytics2", "analytics3", rcpt$1, rcpt$2, exp$1, exp$2)),
  probed AS (SELECT delta.*, latest.month AS last$, CASE WHEN latest.month < delta.month THEN latest."amount" WHEN latest.month > delta.month THEN carried."amount" END AS base$1, CASE WHEN latest.month < delta.month THEN latest."quantity" WHEN latest.month > delta.month THEN carried."quantity" END AS base$2
           FROM delta LEFT JOIN LATERAL (SELECT stored.month, stored."amount", stored."quantity" FROM "acc_accounting__totals" stored
                                      WHERE stored.area = v$area AND stored."account" = delta."account" AND stored."analytics1" = delta."analytics1" AND stored."analytics2" = delta."analytics2" AND stored."analytics3" = delta."analytics3" ORDER BY stored.month DESC LIMIT 1) latest ON true
                      LEFT JOIN LATERAL (SELECT stored."amount", stored."quantity" FROM "acc_accounting__totals" stored
                                      WHERE latest.month > delta.month AND stored.area = v$area AND stored."account" = delta."account" AND stored."analytics1" = delta."analytics1" AND stored."analytics2" = delta."analytics2" AND stored."analytics3" = delta."analytics3" AND stored.month < delta.month ORDER BY stored.month DESC LIMIT 1) carried ON true),
  month_rows AS (INSERT INTO "acc_accounting__totals" AS totals (month, "account", "analytics1", "analytics2", "analytics3", "amount_receipt", "amount_expense", "amount", "quantity_receipt", "quantity_expense", "quantity")
          SELECT probed.month, probed."account", probed."analytics1", probed."analytics2", probed."analytics3", probed.rcpt$1, probed.exp$1, coalesce(probed.base$1, 0) + probed.rcpt$1 - probed.exp$1, probed.rcpt$2, probed.exp$2, coalesce(probed.base$2, 0) + probed.rcpt$2 - probed.exp$2 FROM probed
          ON CONFLICT (area, "account", "analytics1", "analytics2", "analytics3", month) DO UPDATE SET
             "amount_receipt" = totals."amount_receipt" + excluded."amount_receipt", "amount_expense" = totals."amount_expense" + excluded."amount_expense", "amount" = totals."amount" + excluded."amount_receipt" - excluded."amount_expense",
             "quantity_receipt" = totals."quantity_receipt" + excluded."quantity_receipt", "quantity_expense" = totals."quantity_expense" + excluded."quantity_expense", "quantity" = totals."quantity" + excluded."quantity_receipt" - excluded."quantity_expense"
          RETURNING (totals."amount_receipt" = 0 AND totals."quantity_receipt" = 0 AND totals."amount_expense" = 0 AND totals."quantity_expense" = 0) AS zero),
  balance_rows AS (INSERT INTO "acc_accounting__balance" AS balance ("account", "analytics1", "analytics2", "analytics3", "amount", "quantity")
          SELECT probed."account", probed."analytics1", probed."analytics2", probed."analytics3", probed.rcpt$1 - probed.exp$1, probed.rcpt$2 - probed.exp$2 FROM probed WHERE probed.rcpt$1 <> probed.exp$1 OR probed.rcpt$2 <> probed.exp$2
          ON CONFLICT (area, "account", "analytics1", "analytics2", "analytics3") DO UPDATE SET "amount" = balance."amount" + excluded."amount", "quantity" = balance."quantity" + excluded."quantity"
          RETURNING balance."account", balance."analytics1", balance."analytics2", balance."analytics3", balance."amount", balance."quantity")
  SELECT (SELECT count(*) FILTER (WHERE zero) FROM month_rows),
         (SELECT count(*) FROM probed WHERE (probed.rcpt$1 <> probed.exp$1 OR probed.rcpt$2 <> probed.exp$2) AND probed.last$ > probed.month),
         (SELECT count(*) FILTER (WHERE balance."amount" = 0 AND balance."quantity" = 0) FROM balance_rows balance),
         (SELECT jsonb_agg(jsonb_build_object('account', balance."account", 'analytics1', balance."analytics1", 'analytics2', balance."analytics2", 'analytics3', balance."analytics3", 'amount', balance."amount"::text, 'quantity', balance."quantity"::text)) FILTER (WHERE (balance."amount" < 0 AND delta.rcpt$1 < delta.exp$1) OR (balance."quantity" < 0 AND delta.rcpt$2 < delta.exp$2)) FROM balance_rows balance JOIN delta ON balance."account" = delta."account" AND balance."analytics1" = delta."analytics1" AND balance."analytics2" = delta."analytics2" AND balance."analytics3" = delta."analytics3")
    INTO v$zero, v$later, v$bzero, v$neg;
  IF v$later > 0 THEN
    FOR v$i IN 1 .. cardinality(d$month) LOOP
      UPDATE "acc_accounting__totals" later SET "amount" = later."amount" + (d$r1[v$i] - d$e1[v$i]), "quantity" = later."quantity" + (d$r2[v$i] - d$e2[v$i])
       WHERE later.area = v$area AND later."account" = d$k1[v$i] AND later."analytics1" = d$k2[v$i] AND later."analytics2" = d$k3[v$i] AND later."analytics3" = d$k4[v$i] AND later.month > d$month[v$i];
    END LOOP;
  END IF;
  ELSE
  WITH delta AS (SELECT * FROM unnest(d$month, d$k1, d$k2, d$k3, d$k4, d$r1, d$r2, d$e1, d$e2) delta(month, "account", "analytics1", "analytics2", "analytics3", rcpt$1, rcpt$2, exp$1, exp$2)),
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
    FOR v$r IN
      WITH delta AS (SELECT * FROM unnest(d$month, d$k1, d$k2, d$k3, d$k4, d$r1, d$r2, d$e1, d$e2) delta(month, "account", "analytics1", "analytics2", "analytics3", rcpt$1, rcpt$2, exp$1, exp$2))
      SELECT later."account", later."analytics1", later."analytics2", later."analytics3", later.month, sum(delta.rcpt$1 - delta.exp$1) AS net$1, sum(delta.rcpt$2 - delta.exp$2) AS net$2
        FROM delta CROSS JOIN LATERAL (SELECT later."account", later."analytics1", later."analytics2", later."analytics3", later.month FROM "acc_accounting__totals" later WHERE later.area = v$area AND later."account" = delta."account" AND later."analytics1" = delta."analytics1" AND later."analytics2" = delta."analytics2" AND later."analytics3" = delta."analytics3" AND later.month > delta.month OFFSET 0) later
       WHERE (later."account", later."analytics1", later."analytics2", later."analytics3", later.month) NOT IN (SELECT in_delta."account", in_delta."analytics1", in_delta."analytics2", in_delta."analytics3", in_delta.month FROM delta in_delta)
       GROUP BY later."account", later."analytics1", later."analytics2", later."analytics3", later.month
    LOOP
      UPDATE "acc_accounting__totals" totals SET "amount" = totals."amount" + v$r.net$1, "quantity" = totals."quantity" + v$r.net$2
       WHERE totals.area = v$area AND totals."account" = v$r."account" AND totals."analytics1" = v$r."analytics1" AND totals."analytics2" = v$r."analytics2" AND totals."analytics3" = v$r."analytics3" AND totals.month = v$r.month;
    END LOOP;
  END IF;
  WITH per_key AS (SELECT delta."account", delta."analytics1", delta."analytics2", delta."analytics3", sum(delta.rcpt$1 - delta.exp$1) AS net$1, sum(delta.rcpt$2 - delta.exp$2) AS net$2
               FROM unnest(d$month, d$k1, d$k2, d$k3, d$k4, d$r1, d$r2, d$e1, d$e2) delta(month, "account", "analytics1", "analytics2", "analytics3", rcpt$1, rcpt$2, exp$1, exp$2) GROUP BY delta."account", delta."analytics1", delta."analytics2", delta."analytics3"),
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
    FOR v$i IN 1 .. cardinality(d$month) LOOP
      DELETE FROM "acc_accounting__totals" totals WHERE totals.area = v$area AND totals."account" = d$k1[v$i] AND totals."analytics1" = d$k2[v$i] AND totals."analytics2" = d$k3[v$i] AND totals."analytics3" = d$k4[v$i] AND totals.month = d$month[v$i] AND totals."amount_receipt" = 0 AND totals."quantity_receipt" = 0 AND totals."amount_expense" = 0 AND totals."quantity_expense" = 0;
    END LOOP;
  END IF;
  IF v$bzero > 0 THEN
    FOR v$i IN 1 .. cardinality(d$month) LOOP
      DELETE FROM "acc_accounting__balance" balance WHERE balance.area = v$area AND balance."account" = d$k1[v$i] AND balance."analytics1" = d$k2[v$i] AND balance."analytics2" = d$k3[v$i] AND balance."analytics3" = d$k4[v$i] AND balance."amount" = 0 AND balance."quantity" = 0;
    END LOOP;
  END IF;
  IF p$check AND v$neg IS NOT NULL THEN
    SELECT jsonb_agg(refused_key || jsonb_build_object('account__name', (SELECT COALESCE(NULLIF(referenced.code, ''), referenced.name) FROM "cat_accounts" referenced WHERE referenced.id = (refused_key->>'account')::uuid))) INTO v$neg FROM jsonb_array_elements(v$neg) refused_key;
    RAISE EXCEPTION USING ERRCODE = 'ZR001', MESSAGE = 'acc_accounting: negative balance', DETAIL = v$neg::text;
  END IF;
END
$fn$;
COMMENT ON FUNCTION "acc_accounting__write"(uuid, character varying, boolean, jsonb) IS 'register engine';
GRANT EXECUTE ON FUNCTION "acc_accounting__write"(uuid, character varying, boolean, jsonb) TO "app_user";
