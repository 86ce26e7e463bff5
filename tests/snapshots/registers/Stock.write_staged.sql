CREATE OR REPLACE FUNCTION "acc_stock__write_staged"(p$recorder uuid, p$kind character varying, p$check boolean) RETURNS void LANGUAGE plpgsql VOLATILE SECURITY INVOKER
SET enable_seqscan = off
SET enable_bitmapscan = off
SET enable_nestloop = off
SET enable_memoize = off
SET enable_hashjoin = on
SET enable_mergejoin = on
SET plan_cache_mode = auto
SET work_mem = '256MB'
SET hash_mem_multiplier = 2 AS $fn$
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
  v$rows bigint;
  v$keys bigint;
  v$later bigint;
  v$zero bigint;
  v$bzero bigint;
  v$neg jsonb;
  v$i integer;
  v$r record;
  v$old boolean;
BEGIN
  IF v$area IS NULL THEN RAISE EXCEPTION 'acc_stock__write_staged: app.area is not set'; END IF;
  DROP TABLE IF EXISTS pg_temp."acc_stock__old";
  CREATE TEMP TABLE "acc_stock__old" (month date, "warehouse" uuid, "product" uuid, rcpt$1 numeric, rcpt$2 numeric, exp$1 numeric, exp$2 numeric) ON COMMIT DROP;
  IF (SELECT line FROM "acc_stock" WHERE area = v$area AND recorder = p$recorder ORDER BY recorder, line LIMIT 1) IS NOT NULL THEN
    WITH old AS (DELETE FROM "acc_stock" WHERE area = v$area AND recorder = p$recorder
                    RETURNING period, record_kind, "warehouse", "product", "quantity", "amount")
    INSERT INTO pg_temp."acc_stock__old" SELECT date_trunc('month', m.period)::date AS month, m."warehouse", m."product", coalesce(sum(m."quantity") FILTER (WHERE m.record_kind = 1), 0) AS rcpt$1, coalesce(sum(m."amount") FILTER (WHERE m.record_kind = 1), 0) AS rcpt$2, coalesce(sum(m."quantity") FILTER (WHERE m.record_kind = -1), 0) AS exp$1, coalesce(sum(m."amount") FILTER (WHERE m.record_kind = -1), 0) AS exp$2
            FROM old m GROUP BY 1, m."warehouse", m."product";
    v$old := true;
  ELSE
    v$old := false;
  END IF;
  INSERT INTO "acc_stock" (recorder, recorder_kind, line, period, record_kind, "warehouse", "product", "quantity", "amount")
  SELECT p$recorder, p$kind, s.line, s.period, s.record_kind, s."warehouse", s."product", s."quantity", s."amount" FROM pg_temp."acc_stock__in" s;
  IF NOT v$old THEN
    DROP TABLE IF EXISTS pg_temp."acc_stock__delta";
    CREATE TEMP TABLE "acc_stock__delta" ON COMMIT DROP AS SELECT date_trunc('month', s.period)::date AS month, s."warehouse", s."product", CASE WHEN s.record_kind = 1 THEN s."quantity" ELSE 0 END AS rcpt$1, CASE WHEN s.record_kind = 1 THEN s."amount" ELSE 0 END AS rcpt$2, CASE WHEN s.record_kind = -1 THEN s."quantity" ELSE 0 END AS exp$1, CASE WHEN s.record_kind = -1 THEN s."amount" ELSE 0 END AS exp$2,
             row_number() OVER (PARTITION BY s."warehouse", s."product" ORDER BY date_trunc('month', s.period)::date) AS first$
      FROM pg_temp."acc_stock__in" s WHERE s."quantity" <> 0 OR s."amount" <> 0 ORDER BY "warehouse", "product", month;
    SELECT count(*), count(*) FILTER (WHERE first$ = 1) INTO v$rows, v$keys FROM pg_temp."acc_stock__delta";
  END IF;
  IF v$old OR v$keys < v$rows THEN
    DROP TABLE IF EXISTS pg_temp."acc_stock__delta";
    CREATE TEMP TABLE "acc_stock__delta" ON COMMIT DROP AS SELECT month, "warehouse", "product", sum(rcpt$1) AS rcpt$1, sum(rcpt$2) AS rcpt$2, sum(exp$1) AS exp$1, sum(exp$2) AS exp$2
      FROM (SELECT date_trunc('month', s.period)::date AS month, s."warehouse", s."product", coalesce(sum(s."quantity") FILTER (WHERE s.record_kind = 1), 0) AS rcpt$1, coalesce(sum(s."amount") FILTER (WHERE s.record_kind = 1), 0) AS rcpt$2, coalesce(sum(s."quantity") FILTER (WHERE s.record_kind = -1), 0) AS exp$1, coalesce(sum(s."amount") FILTER (WHERE s.record_kind = -1), 0) AS exp$2
                FROM pg_temp."acc_stock__in" s GROUP BY 1, s."warehouse", s."product"
            UNION ALL
            SELECT o.month, o."warehouse", o."product", -o.rcpt$1, -o.rcpt$2, -o.exp$1, -o.exp$2 FROM pg_temp."acc_stock__old" o) u
     GROUP BY month, "warehouse", "product"
    HAVING sum(rcpt$1) <> 0 OR sum(rcpt$2) <> 0 OR sum(exp$1) <> 0 OR sum(exp$2) <> 0 ORDER BY "warehouse", "product", month;
    SELECT count(*), count(DISTINCT ("warehouse", "product")) INTO v$rows, v$keys FROM pg_temp."acc_stock__delta";
  END IF;
  IF v$rows = 0 THEN RETURN; END IF;
  IF v$keys > 1000 THEN
    PERFORM pg_advisory_xact_lock(1124131497, v$area);
  ELSE
    PERFORM pg_advisory_xact_lock_shared(1124131497, v$area);
    PERFORM pg_advisory_xact_lock(1392340020, h) FROM (SELECT DISTINCT hashtext(concat_ws(chr(31), v$area, d."warehouse", d."product")) AS h FROM pg_temp."acc_stock__delta" d ORDER BY 1) x;
  END IF;
  IF v$keys = v$rows THEN
  WITH d AS (SELECT * FROM pg_temp."acc_stock__delta" d),
  dz AS (SELECT d.*, z.month AS last$, CASE WHEN z.month < d.month THEN z."quantity" WHEN z.month > d.month THEN y."quantity" END AS base$1, CASE WHEN z.month < d.month THEN z."amount" WHEN z.month > d.month THEN y."amount" END AS base$2
           FROM d LEFT JOIN LATERAL (SELECT p.month, p."quantity", p."amount" FROM "acc_stock__totals" p
                                      WHERE p.area = v$area AND p."warehouse" = d."warehouse" AND p."product" = d."product" ORDER BY p.month DESC LIMIT 1) z ON true
                  LEFT JOIN LATERAL (SELECT p."quantity", p."amount" FROM "acc_stock__totals" p
                                      WHERE z.month > d.month AND p.area = v$area AND p."warehouse" = d."warehouse" AND p."product" = d."product" AND p.month < d.month ORDER BY p.month DESC LIMIT 1) y ON true),
  tn AS (INSERT INTO "acc_stock__totals" (month, "warehouse", "product", "quantity_receipt", "quantity_expense", "quantity", "amount_receipt", "amount_expense", "amount")
         SELECT d.month, d."warehouse", d."product", d.rcpt$1, d.exp$1, coalesce(d.base$1, 0) + d.rcpt$1 - d.exp$1, d.rcpt$2, d.exp$2, coalesce(d.base$2, 0) + d.rcpt$2 - d.exp$2 FROM dz d WHERE d.last$ IS NULL),
  tot AS (INSERT INTO "acc_stock__totals" AS t (month, "warehouse", "product", "quantity_receipt", "quantity_expense", "quantity", "amount_receipt", "amount_expense", "amount")
          SELECT d.month, d."warehouse", d."product", d.rcpt$1, d.exp$1, coalesce(d.base$1, 0) + d.rcpt$1 - d.exp$1, d.rcpt$2, d.exp$2, coalesce(d.base$2, 0) + d.rcpt$2 - d.exp$2 FROM dz d WHERE d.last$ IS NOT NULL
          ON CONFLICT (area, "warehouse", "product", month) DO UPDATE SET
             "quantity_receipt" = t."quantity_receipt" + excluded."quantity_receipt", "quantity_expense" = t."quantity_expense" + excluded."quantity_expense", "quantity" = t."quantity" + excluded."quantity_receipt" - excluded."quantity_expense",
             "amount_receipt" = t."amount_receipt" + excluded."amount_receipt", "amount_expense" = t."amount_expense" + excluded."amount_expense", "amount" = t."amount" + excluded."amount_receipt" - excluded."amount_expense"
          RETURNING (t."quantity_receipt" = 0 AND t."amount_receipt" = 0 AND t."quantity_expense" = 0 AND t."amount_expense" = 0) AS zero),
  bn AS (INSERT INTO "acc_stock__balance" ("warehouse", "product", "quantity", "amount")
         SELECT d."warehouse", d."product", d.rcpt$1 - d.exp$1, d.rcpt$2 - d.exp$2 FROM dz d WHERE d.last$ IS NULL AND (d.rcpt$1 <> d.exp$1 OR d.rcpt$2 <> d.exp$2)),
  bal AS (INSERT INTO "acc_stock__balance" AS b ("warehouse", "product", "quantity", "amount")
          SELECT d."warehouse", d."product", d.rcpt$1 - d.exp$1, d.rcpt$2 - d.exp$2 FROM dz d WHERE d.last$ IS NOT NULL AND (d.rcpt$1 <> d.exp$1 OR d.rcpt$2 <> d.exp$2)
          ON CONFLICT (area, "warehouse", "product") DO UPDATE SET "quantity" = b."quantity" + excluded."quantity", "amount" = b."amount" + excluded."amount"
          RETURNING b."warehouse", b."product", b."quantity", b."amount")
  SELECT (SELECT count(*) FILTER (WHERE zero) FROM tot),
         (SELECT count(*) FROM dz d WHERE (d.rcpt$1 <> d.exp$1 OR d.rcpt$2 <> d.exp$2) AND d.last$ > d.month),
         (SELECT count(*) FILTER (WHERE b."quantity" = 0 AND b."amount" = 0) FROM bal b),
         nullif(coalesce((SELECT jsonb_agg(jsonb_build_object('warehouse', b."warehouse", 'product', b."product", 'quantity', b."quantity"::text, 'amount', b."amount"::text)) FILTER (WHERE (b."quantity" < 0 AND d.rcpt$1 < d.exp$1) OR (b."amount" < 0 AND d.rcpt$2 < d.exp$2)) FROM bal b JOIN d ON b."warehouse" = d."warehouse" AND b."product" = d."product"), '[]'::jsonb)
                || coalesce((SELECT jsonb_agg(jsonb_build_object('warehouse', b."warehouse", 'product', b."product", 'quantity', b."quantity"::text, 'amount', b."amount"::text)) FROM (SELECT d."warehouse", d."product", d.rcpt$1 - d.exp$1 AS "quantity", d.rcpt$2 - d.exp$2 AS "amount" FROM dz d WHERE d.last$ IS NULL AND ((d.rcpt$1 < d.exp$1) OR (d.rcpt$2 < d.exp$2))) b), '[]'::jsonb), '[]'::jsonb)
    INTO v$zero, v$later, v$bzero, v$neg;
  IF v$later > 0 THEN
    WITH d AS (SELECT * FROM pg_temp."acc_stock__delta" d)
    UPDATE "acc_stock__totals" t SET "quantity" = t."quantity" + (d.rcpt$1 - d.exp$1), "amount" = t."amount" + (d.rcpt$2 - d.exp$2)
      FROM d WHERE t.area = v$area AND t."warehouse" = d."warehouse" AND t."product" = d."product" AND t.month > d.month;
  END IF;
  ELSE
  WITH d AS (SELECT * FROM pg_temp."acc_stock__delta" d),
  c AS (SELECT d.*, sum(d.rcpt$1 - d.exp$1) OVER (PARTITION BY d."warehouse", d."product" ORDER BY d.month) AS cum$1, sum(d.rcpt$2 - d.exp$2) OVER (PARTITION BY d."warehouse", d."product" ORDER BY d.month) AS cum$2 FROM d),
  src AS (SELECT c.month, c."warehouse", c."product", CASE WHEN b.month = c.month THEN b."quantity_receipt" ELSE 0 END + c.rcpt$1 AS "quantity_receipt", CASE WHEN b.month = c.month THEN b."quantity_expense" ELSE 0 END + c.exp$1 AS "quantity_expense", coalesce(b."quantity", 0) + c.cum$1 AS "quantity",
                 CASE WHEN b.month = c.month THEN b."amount_receipt" ELSE 0 END + c.rcpt$2 AS "amount_receipt", CASE WHEN b.month = c.month THEN b."amount_expense" ELSE 0 END + c.exp$2 AS "amount_expense", coalesce(b."amount", 0) + c.cum$2 AS "amount",
                 (SELECT true FROM "acc_stock__totals" l WHERE l.area = v$area AND l."warehouse" = c."warehouse" AND l."product" = c."product" AND l.month > c.month LIMIT 1) IS NOT NULL AS later
            FROM c LEFT JOIN LATERAL (SELECT t.month, t."quantity_receipt", t."quantity_expense", t."quantity", t."amount_receipt", t."amount_expense", t."amount" FROM "acc_stock__totals" t
                                       WHERE t.area = v$area AND t."warehouse" = c."warehouse" AND t."product" = c."product" AND t.month <= c.month ORDER BY t.month DESC LIMIT 1) b ON true),
  u AS (INSERT INTO "acc_stock__totals" AS t (month, "warehouse", "product", "quantity_receipt", "quantity_expense", "quantity", "amount_receipt", "amount_expense", "amount")
        SELECT month, "warehouse", "product", "quantity_receipt", "quantity_expense", "quantity", "amount_receipt", "amount_expense", "amount" FROM src
        ON CONFLICT (area, "warehouse", "product", month) DO UPDATE SET "quantity_receipt" = excluded."quantity_receipt", "quantity_expense" = excluded."quantity_expense", "quantity" = excluded."quantity", "amount_receipt" = excluded."amount_receipt", "amount_expense" = excluded."amount_expense", "amount" = excluded."amount"
        RETURNING (t."quantity_receipt" = 0 AND t."amount_receipt" = 0 AND t."quantity_expense" = 0 AND t."amount_expense" = 0) AS zero)
  SELECT (SELECT count(*) FILTER (WHERE zero) FROM u), (SELECT count(*) FILTER (WHERE later) FROM src) INTO v$zero, v$later;
  IF v$later > 0 THEN
    WITH d AS (SELECT * FROM pg_temp."acc_stock__delta" d),
    a AS (SELECT x."warehouse", x."product", x.month, sum(d.rcpt$1 - d.exp$1) AS net$1, sum(d.rcpt$2 - d.exp$2) AS net$2
            FROM d JOIN "acc_stock__totals" x ON x.area = v$area AND x."warehouse" = d."warehouse" AND x."product" = d."product" AND x.month > d.month
           WHERE (x."warehouse", x."product", x.month) NOT IN (SELECT y."warehouse", y."product", y.month FROM d y)
           GROUP BY x."warehouse", x."product", x.month)
    UPDATE "acc_stock__totals" t SET "quantity" = t."quantity" + a.net$1, "amount" = t."amount" + a.net$2
      FROM a WHERE t.area = v$area AND t."warehouse" = a."warehouse" AND t."product" = a."product" AND t.month = a.month;
  END IF;
  WITH s AS (SELECT d."warehouse", d."product", sum(d.rcpt$1 - d.exp$1) AS net$1, sum(d.rcpt$2 - d.exp$2) AS net$2
               FROM pg_temp."acc_stock__delta" d GROUP BY d."warehouse", d."product"),
       b AS (INSERT INTO "acc_stock__balance" AS b ("warehouse", "product", "quantity", "amount")
             SELECT "warehouse", "product", net$1, net$2 FROM s WHERE net$1 <> 0 OR net$2 <> 0
             ON CONFLICT (area, "warehouse", "product") DO UPDATE SET "quantity" = b."quantity" + excluded."quantity", "amount" = b."amount" + excluded."amount"
             RETURNING b."warehouse", b."product", b."quantity", b."amount")
  SELECT count(*) FILTER (WHERE b."quantity" = 0 AND b."amount" = 0),
         jsonb_agg(jsonb_build_object('warehouse', b."warehouse", 'product', b."product", 'quantity', b."quantity"::text, 'amount', b."amount"::text)) FILTER (WHERE (b."quantity" < 0 AND s.net$1 < 0) OR (b."amount" < 0 AND s.net$2 < 0))
    INTO v$bzero, v$neg
    FROM b JOIN s ON b."warehouse" = s."warehouse" AND b."product" = s."product";
  END IF;
  IF v$zero > 0 THEN
    DELETE FROM "acc_stock__totals" t USING pg_temp."acc_stock__delta" d WHERE t.area = v$area AND t."warehouse" = d."warehouse" AND t."product" = d."product" AND t.month = d.month AND t."quantity_receipt" = 0 AND t."amount_receipt" = 0 AND t."quantity_expense" = 0 AND t."amount_expense" = 0;
  END IF;
  IF v$bzero > 0 THEN
    DELETE FROM "acc_stock__balance" b USING pg_temp."acc_stock__delta" d WHERE b.area = v$area AND b."warehouse" = d."warehouse" AND b."product" = d."product" AND b."quantity" = 0 AND b."amount" = 0;
  END IF;
  IF p$check AND v$neg IS NOT NULL THEN
    SELECT jsonb_agg(e || jsonb_build_object('warehouse__name', (SELECT COALESCE(NULLIF(c.name, ''), c.code) FROM "cat_warehouses" c WHERE c.id = (e->>'warehouse')::uuid), 'product__name', (SELECT COALESCE(NULLIF(c.name, ''), c.code) FROM "cat_products" c WHERE c.id = (e->>'product')::uuid))) INTO v$neg FROM jsonb_array_elements(v$neg) e;
    RAISE EXCEPTION USING ERRCODE = 'ZR001', MESSAGE = 'acc_stock: negative balance', DETAIL = v$neg::text;
  END IF;
END
$fn$;
COMMENT ON FUNCTION "acc_stock__write_staged"(uuid, character varying, boolean) IS 'register engine';
GRANT EXECUTE ON FUNCTION "acc_stock__write_staged"(uuid, character varying, boolean) TO "app_user";
