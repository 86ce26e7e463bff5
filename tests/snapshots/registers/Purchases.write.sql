CREATE OR REPLACE FUNCTION "acc_purchases__write"(p$recorder uuid, p$kind character varying, p$check boolean, p$rows jsonb) RETURNS void LANGUAGE plpgsql VOLATILE SECURITY INVOKER
SET enable_seqscan = off
SET enable_bitmapscan = off
SET enable_hashjoin = off
SET enable_mergejoin = off
SET plan_cache_mode = force_generic_plan AS $fn$
DECLARE
  v$area integer := nullif(current_setting('app.area', true), '')::integer;
  d$month date[];
  d$k1 uuid[];
  d$r1 numeric[];
  d$r2 numeric[];
  o$month date[];
  o$k1 uuid[];
  o$r1 numeric[];
  o$r2 numeric[];
  v$locks integer[];
  v$later bigint;
  v$zero bigint;
  v$bzero bigint;
  v$neg jsonb;
  v$i integer;
  v$r record;
BEGIN
  IF v$area IS NULL THEN RAISE EXCEPTION 'acc_purchases__write: app.area is not set'; END IF;
  IF (SELECT line FROM "acc_purchases" WHERE area = v$area AND recorder = p$recorder ORDER BY recorder, line OFFSET 5000 LIMIT 1) IS NOT NULL THEN
    DROP TABLE IF EXISTS pg_temp."acc_purchases__in"; CREATE TEMP TABLE "acc_purchases__in" (line integer, period timestamp(0) without time zone, record_kind smallint, "product" uuid, "quantity" numeric(15,3), "amount" numeric(15,2)) ON COMMIT DROP;
    INSERT INTO pg_temp."acc_purchases__in" (line, period, record_kind, "product", "quantity", "amount")
      SELECT new_row.line, (new_row.fields->>0)::timestamp, (new_row.fields->>1)::smallint, (new_row.fields->>2)::uuid, (new_row.fields->>3)::numeric, (new_row.fields->>4)::numeric FROM jsonb_array_elements(p$rows->'rows') WITH ORDINALITY AS new_row(fields, line);
    PERFORM "acc_purchases__write_staged"(p$recorder, p$kind, p$check);
    RETURN;
  END IF;
  IF (SELECT line FROM "acc_purchases" WHERE area = v$area AND recorder = p$recorder ORDER BY recorder, line LIMIT 1) IS NULL THEN
    WITH inserted AS (INSERT INTO "acc_purchases" (recorder, recorder_kind, line, period, record_kind, "product", "quantity", "amount")
  SELECT p$recorder, p$kind, new_row.line, (new_row.fields->>0)::timestamp, (new_row.fields->>1)::smallint, (new_row.fields->>2)::uuid, (new_row.fields->>3)::numeric, (new_row.fields->>4)::numeric FROM jsonb_array_elements(p$rows->'rows') WITH ORDINALITY AS new_row(fields, line))
    SELECT array_agg(month), array_agg("product"), array_agg(rcpt$1), array_agg(rcpt$2), array_agg(DISTINCT hashtext(concat_ws(chr(31), v$area, "product")) ORDER BY hashtext(concat_ws(chr(31), v$area, "product"))) INTO d$month, d$k1, d$r1, d$r2, v$locks FROM (SELECT (delta_row->>0)::date AS month, (delta_row->>1)::uuid AS "product", (delta_row->>2)::numeric AS rcpt$1, (delta_row->>3)::numeric AS rcpt$2
                FROM jsonb_array_elements(p$rows->'delta') delta_row) new_delta;
  ELSE
    WITH old AS (DELETE FROM "acc_purchases" WHERE area = v$area AND recorder = p$recorder AND line = ANY (ARRAY(SELECT line FROM "acc_purchases" WHERE area = v$area AND recorder = p$recorder ORDER BY recorder, line))
                    RETURNING period, record_kind, "product", "quantity", "amount"),
    old_grouped AS (SELECT date_trunc('month', old_row.period)::date AS month, old_row."product", sum(old_row."quantity" * old_row.record_kind) AS rcpt$1, sum(old_row."amount" * old_row.record_kind) AS rcpt$2
            FROM old old_row GROUP BY 1, old_row."product"),
    inserted AS (INSERT INTO "acc_purchases" (recorder, recorder_kind, line, period, record_kind, "product", "quantity", "amount")
  SELECT p$recorder, p$kind, new_row.line, (new_row.fields->>0)::timestamp, (new_row.fields->>1)::smallint, (new_row.fields->>2)::uuid, (new_row.fields->>3)::numeric, (new_row.fields->>4)::numeric FROM jsonb_array_elements(p$rows->'rows') WITH ORDINALITY AS new_row(fields, line) WHERE (SELECT count(*) FROM old_grouped) >= 0)
    SELECT old_arrays.*, new_arrays.* INTO o$month, o$k1, o$r1, o$r2, d$month, d$k1, d$r1, d$r2, v$locks
      FROM (SELECT array_agg(month), array_agg("product"), array_agg(rcpt$1), array_agg(rcpt$2) FROM old_grouped) old_arrays,
           (SELECT array_agg(month), array_agg("product"), array_agg(rcpt$1), array_agg(rcpt$2), array_agg(DISTINCT hashtext(concat_ws(chr(31), v$area, "product")) ORDER BY hashtext(concat_ws(chr(31), v$area, "product"))) FROM (SELECT (delta_row->>0)::date AS month, (delta_row->>1)::uuid AS "product", (delta_row->>2)::numeric AS rcpt$1, (delta_row->>3)::numeric AS rcpt$2
                FROM jsonb_array_elements(p$rows->'delta') delta_row) new_delta) new_arrays;
  END IF;
  IF o$month IS NOT NULL THEN
    SELECT array_agg(month), array_agg("product"), array_agg(rcpt$1), array_agg(rcpt$2), array_agg(DISTINCT hashtext(concat_ws(chr(31), v$area, "product")) ORDER BY hashtext(concat_ws(chr(31), v$area, "product")))
    INTO d$month, d$k1, d$r1, d$r2, v$locks
    FROM (SELECT month, "product", sum(rcpt$1) AS rcpt$1, sum(rcpt$2) AS rcpt$2
      FROM (SELECT (delta_row->>0)::date AS month, (delta_row->>1)::uuid AS "product", (delta_row->>2)::numeric AS rcpt$1, (delta_row->>3)::numeric AS rcpt$2
                FROM jsonb_array_elements(p$rows->'delta') delta_row
            UNION ALL
            SELECT old_delta.month, old_delta."product", -old_delta.rcpt$1, -old_delta.rcpt$2 FROM unnest(o$month, o$k1, o$r1, o$r2) old_delta(month, "product", rcpt$1, rcpt$2)) new_and_old
     GROUP BY month, "product"
    HAVING sum(rcpt$1) <> 0 OR sum(rcpt$2) <> 0) merged;
  END IF;
  IF d$month IS NULL THEN RETURN; END IF;
  IF cardinality(v$locks) > 1000 THEN
    PERFORM pg_advisory_xact_lock(-605025893, v$area);
  ELSE
    PERFORM pg_advisory_xact_lock_shared(-605025893, v$area);
    PERFORM pg_advisory_xact_lock(1129730178, key_hash) FROM unnest(v$locks) key_hash;
  END IF;
  WITH delta AS (SELECT delta.* FROM unnest(d$month, d$k1, d$r1, d$r2) delta(month, "product", rcpt$1, rcpt$2)),
  month_rows AS (INSERT INTO "acc_purchases__totals" AS totals (month, "product", "quantity", "amount")
        SELECT delta.month, delta."product", delta.rcpt$1, delta.rcpt$2 FROM delta
        ON CONFLICT (area, "product", month) DO UPDATE SET "quantity" = totals."quantity" + excluded."quantity", "amount" = totals."amount" + excluded."amount"
        RETURNING (totals."quantity" = 0 AND totals."amount" = 0) AS zero)
  SELECT count(*) FILTER (WHERE zero) INTO v$zero FROM month_rows;
  IF v$zero > 0 THEN
    FOR v$i IN 1 .. cardinality(d$month) LOOP
      DELETE FROM "acc_purchases__totals" totals WHERE totals.area = v$area AND totals."product" = d$k1[v$i] AND totals.month = d$month[v$i] AND totals."quantity" = 0 AND totals."amount" = 0;
    END LOOP;
  END IF;
END
$fn$;
COMMENT ON FUNCTION "acc_purchases__write"(uuid, character varying, boolean, jsonb) IS 'register engine';
GRANT EXECUTE ON FUNCTION "acc_purchases__write"(uuid, character varying, boolean, jsonb) TO "app_user";
