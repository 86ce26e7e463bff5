CREATE OR REPLACE FUNCTION "acc_stock__write_many"(p$check boolean, p$docs jsonb) RETURNS void LANGUAGE plpgsql VOLATILE SECURITY INVOKER
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
  v$rows bigint;
  v$keys bigint;
  v$later bigint;
  v$zero bigint;
  v$bzero bigint;
  v$neg jsonb;
  v$i integer;
  v$r record;
  m$ord bigint[];
  m$keys bigint;
  m$dec boolean;
BEGIN
  IF v$area IS NULL THEN RAISE EXCEPTION 'acc_stock__write_many: app.area is not set'; END IF;
  IF EXISTS (SELECT 1 FROM jsonb_array_elements(p$docs) p(doc) CROSS JOIN LATERAL (SELECT m.line FROM "acc_stock" m WHERE m.area = v$area AND m.recorder = (p.doc->>'r')::uuid ORDER BY m.recorder, m.line LIMIT 1) l) THEN
    IF EXISTS (SELECT 1 FROM jsonb_array_elements(p$docs) p(doc) CROSS JOIN LATERAL (SELECT m.line FROM "acc_stock" m WHERE m.area = v$area AND m.recorder = (p.doc->>'r')::uuid ORDER BY m.recorder, m.line OFFSET 5000 LIMIT 1) l) THEN
      RAISE EXCEPTION 'acc_stock__write_many: a large record set is replaced: write it alone';
    END IF;
    WITH p AS (SELECT p.ord, (p.doc->>'r')::uuid AS r FROM jsonb_array_elements(p$docs) WITH ORDINALITY p(doc, ord)),
    old AS (DELETE FROM "acc_stock" t USING p CROSS JOIN LATERAL (SELECT m.line FROM "acc_stock" m WHERE m.area = v$area AND m.recorder = p.r ORDER BY m.recorder, m.line) l
             WHERE t.area = v$area AND t.recorder = p.r AND t.line = l.line
            RETURNING p.ord, t.period, t.record_kind, t."warehouse", t."product", t."quantity", t."amount")
    SELECT array_agg(ord), array_agg(month), array_agg("warehouse"), array_agg("product"), array_agg(rcpt$1), array_agg(rcpt$2), array_agg(exp$1), array_agg(exp$2) INTO m$ord, o$month, o$k1, o$k2, o$r1, o$r2, o$e1, o$e2
      FROM (SELECT m.ord, date_trunc('month', m.period)::date AS month, m."warehouse", m."product", coalesce(sum(m."quantity") FILTER (WHERE m.record_kind = 1), 0) AS rcpt$1, coalesce(sum(m."amount") FILTER (WHERE m.record_kind = 1), 0) AS rcpt$2, coalesce(sum(m."quantity") FILTER (WHERE m.record_kind = -1), 0) AS exp$1, coalesce(sum(m."amount") FILTER (WHERE m.record_kind = -1), 0) AS exp$2
              FROM old m GROUP BY 1, 2, m."warehouse", m."product") g;
  END IF;
  IF m$ord IS NULL THEN
    WITH p AS (SELECT p.doc, p.ord FROM jsonb_array_elements(p$docs) WITH ORDINALITY p(doc, ord)),
  ins AS (INSERT INTO "acc_stock" (recorder, recorder_kind, line, period, record_kind, "warehouse", "product", "quantity", "amount")
          SELECT (p.doc->>'r')::uuid, p.doc->>'k', e.line, (e.r->>0)::timestamp, (e.r->>1)::smallint, (e.r->>2)::uuid, (e.r->>3)::uuid, (e.r->>4)::numeric, (e.r->>5)::numeric FROM p CROSS JOIN LATERAL jsonb_array_elements(p.doc->'rows') WITH ORDINALITY AS e(r, line)),
  pd AS (SELECT p.ord, (e->>0)::date AS month, (e->>1)::uuid AS "warehouse", (e->>2)::uuid AS "product", (e->>3)::numeric AS rcpt$1, (e->>4)::numeric AS rcpt$2, (e->>5)::numeric AS exp$1, (e->>6)::numeric AS exp$2
              FROM p CROSS JOIN LATERAL jsonb_array_elements(p.doc->'delta') e),
  g AS (SELECT month, "warehouse", "product", sum(rcpt$1) AS rcpt$1, sum(rcpt$2) AS rcpt$2, sum(exp$1) AS exp$1, sum(exp$2) AS exp$2 FROM pd GROUP BY month, "warehouse", "product")
  SELECT a.*, b.* INTO d$month, d$k1, d$k2, d$r1, d$r2, d$e1, d$e2, m$keys, v$locks, m$dec
    FROM (SELECT array_agg(month), array_agg("warehouse"), array_agg("product"), array_agg(rcpt$1), array_agg(rcpt$2), array_agg(exp$1), array_agg(exp$2), count(DISTINCT hashtext(concat_ws(chr(31), v$area, "warehouse", "product")))
            FROM g WHERE rcpt$1 <> 0 OR rcpt$2 <> 0 OR exp$1 <> 0 OR exp$2 <> 0) a,
         (SELECT array_agg(DISTINCT hashtext(concat_ws(chr(31), v$area, "warehouse", "product")) ORDER BY hashtext(concat_ws(chr(31), v$area, "warehouse", "product"))), coalesce(bool_or(rcpt$1 < exp$1 OR rcpt$2 < exp$2), false) FROM pd) b;
  ELSE
    WITH p AS (SELECT p.doc, p.ord FROM jsonb_array_elements(p$docs) WITH ORDINALITY p(doc, ord)),
  ins AS (INSERT INTO "acc_stock" (recorder, recorder_kind, line, period, record_kind, "warehouse", "product", "quantity", "amount")
          SELECT (p.doc->>'r')::uuid, p.doc->>'k', e.line, (e.r->>0)::timestamp, (e.r->>1)::smallint, (e.r->>2)::uuid, (e.r->>3)::uuid, (e.r->>4)::numeric, (e.r->>5)::numeric FROM p CROSS JOIN LATERAL jsonb_array_elements(p.doc->'rows') WITH ORDINALITY AS e(r, line)),
  pd AS (SELECT ord, month, "warehouse", "product", sum(rcpt$1) AS rcpt$1, sum(rcpt$2) AS rcpt$2, sum(exp$1) AS exp$1, sum(exp$2) AS exp$2
              FROM (SELECT p.ord, (e->>0)::date AS month, (e->>1)::uuid AS "warehouse", (e->>2)::uuid AS "product", (e->>3)::numeric AS rcpt$1, (e->>4)::numeric AS rcpt$2, (e->>5)::numeric AS exp$1, (e->>6)::numeric AS exp$2
              FROM p CROSS JOIN LATERAL jsonb_array_elements(p.doc->'delta') e
                    UNION ALL
                    SELECT o.ord, o.month, o."warehouse", o."product", -o.rcpt$1, -o.rcpt$2, -o.exp$1, -o.exp$2
                      FROM unnest(m$ord, o$month, o$k1, o$k2, o$r1, o$r2, o$e1, o$e2) o(ord, month, "warehouse", "product", rcpt$1, rcpt$2, exp$1, exp$2)) u
             GROUP BY ord, month, "warehouse", "product"
            HAVING sum(rcpt$1) <> 0 OR sum(rcpt$2) <> 0 OR sum(exp$1) <> 0 OR sum(exp$2) <> 0),
  g AS (SELECT month, "warehouse", "product", sum(rcpt$1) AS rcpt$1, sum(rcpt$2) AS rcpt$2, sum(exp$1) AS exp$1, sum(exp$2) AS exp$2 FROM pd GROUP BY month, "warehouse", "product")
  SELECT a.*, b.* INTO d$month, d$k1, d$k2, d$r1, d$r2, d$e1, d$e2, m$keys, v$locks, m$dec
    FROM (SELECT array_agg(month), array_agg("warehouse"), array_agg("product"), array_agg(rcpt$1), array_agg(rcpt$2), array_agg(exp$1), array_agg(exp$2), count(DISTINCT hashtext(concat_ws(chr(31), v$area, "warehouse", "product")))
            FROM g WHERE rcpt$1 <> 0 OR rcpt$2 <> 0 OR exp$1 <> 0 OR exp$2 <> 0) a,
         (SELECT array_agg(DISTINCT hashtext(concat_ws(chr(31), v$area, "warehouse", "product")) ORDER BY hashtext(concat_ws(chr(31), v$area, "warehouse", "product"))), coalesce(bool_or(rcpt$1 < exp$1 OR rcpt$2 < exp$2), false) FROM pd) b;
  END IF;
  IF v$locks IS NOT NULL THEN
    IF cardinality(v$locks) > 1000 THEN
    PERFORM pg_advisory_xact_lock(1124131497, v$area);
  ELSE
    PERFORM pg_advisory_xact_lock_shared(1124131497, v$area);
    PERFORM pg_advisory_xact_lock(1392340020, h) FROM unnest(v$locks) h;
  END IF;
  END IF;
  IF d$month IS NOT NULL THEN
    IF m$keys = cardinality(d$month) THEN
  WITH d AS (SELECT * FROM unnest(d$month, d$k1, d$k2, d$r1, d$r2, d$e1, d$e2) d(month, "warehouse", "product", rcpt$1, rcpt$2, exp$1, exp$2)),
  dz AS (SELECT d.*, z.month AS last$, CASE WHEN z.month < d.month THEN z."quantity" WHEN z.month > d.month THEN y."quantity" END AS base$1, CASE WHEN z.month < d.month THEN z."amount" WHEN z.month > d.month THEN y."amount" END AS base$2
           FROM d LEFT JOIN LATERAL (SELECT p.month, p."quantity", p."amount" FROM "acc_stock__totals" p
                                      WHERE p.area = v$area AND p."warehouse" = d."warehouse" AND p."product" = d."product" ORDER BY p.month DESC LIMIT 1) z ON true
                  LEFT JOIN LATERAL (SELECT p."quantity", p."amount" FROM "acc_stock__totals" p
                                      WHERE z.month > d.month AND p.area = v$area AND p."warehouse" = d."warehouse" AND p."product" = d."product" AND p.month < d.month ORDER BY p.month DESC LIMIT 1) y ON true),
  tot AS (INSERT INTO "acc_stock__totals" AS t (month, "warehouse", "product", "quantity_receipt", "quantity_expense", "quantity", "amount_receipt", "amount_expense", "amount")
          SELECT d.month, d."warehouse", d."product", d.rcpt$1, d.exp$1, coalesce(d.base$1, 0) + d.rcpt$1 - d.exp$1, d.rcpt$2, d.exp$2, coalesce(d.base$2, 0) + d.rcpt$2 - d.exp$2 FROM dz d
          ON CONFLICT (area, "warehouse", "product", month) DO UPDATE SET
             "quantity_receipt" = t."quantity_receipt" + excluded."quantity_receipt", "quantity_expense" = t."quantity_expense" + excluded."quantity_expense", "quantity" = t."quantity" + excluded."quantity_receipt" - excluded."quantity_expense",
             "amount_receipt" = t."amount_receipt" + excluded."amount_receipt", "amount_expense" = t."amount_expense" + excluded."amount_expense", "amount" = t."amount" + excluded."amount_receipt" - excluded."amount_expense"
          RETURNING (t."quantity_receipt" = 0 AND t."amount_receipt" = 0 AND t."quantity_expense" = 0 AND t."amount_expense" = 0) AS zero),
  bal AS (INSERT INTO "acc_stock__balance" AS b ("warehouse", "product", "quantity", "amount")
          SELECT d."warehouse", d."product", d.rcpt$1 - d.exp$1, d.rcpt$2 - d.exp$2 FROM d WHERE d.rcpt$1 <> d.exp$1 OR d.rcpt$2 <> d.exp$2
          ON CONFLICT (area, "warehouse", "product") DO UPDATE SET "quantity" = b."quantity" + excluded."quantity", "amount" = b."amount" + excluded."amount"
          RETURNING b."quantity", b."amount")
  SELECT (SELECT count(*) FILTER (WHERE zero) FROM tot),
         (SELECT count(*) FROM dz d WHERE (d.rcpt$1 <> d.exp$1 OR d.rcpt$2 <> d.exp$2) AND d.last$ > d.month),
         count(*) FILTER (WHERE b."quantity" = 0 AND b."amount" = 0)
    INTO v$zero, v$later, v$bzero
    FROM bal b;
  IF v$later > 0 THEN
    FOR v$i IN 1 .. cardinality(d$month) LOOP
      UPDATE "acc_stock__totals" t SET "quantity" = t."quantity" + (d$r1[v$i] - d$e1[v$i]), "amount" = t."amount" + (d$r2[v$i] - d$e2[v$i])
       WHERE t.area = v$area AND t."warehouse" = d$k1[v$i] AND t."product" = d$k2[v$i] AND t.month > d$month[v$i];
    END LOOP;
  END IF;
  ELSE
  WITH d AS (SELECT * FROM unnest(d$month, d$k1, d$k2, d$r1, d$r2, d$e1, d$e2) d(month, "warehouse", "product", rcpt$1, rcpt$2, exp$1, exp$2)),
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
    FOR v$r IN
      WITH d AS (SELECT * FROM unnest(d$month, d$k1, d$k2, d$r1, d$r2, d$e1, d$e2) d(month, "warehouse", "product", rcpt$1, rcpt$2, exp$1, exp$2))
      SELECT x."warehouse", x."product", x.month, sum(d.rcpt$1 - d.exp$1) AS net$1, sum(d.rcpt$2 - d.exp$2) AS net$2
        FROM d CROSS JOIN LATERAL (SELECT x."warehouse", x."product", x.month FROM "acc_stock__totals" x WHERE x.area = v$area AND x."warehouse" = d."warehouse" AND x."product" = d."product" AND x.month > d.month OFFSET 0) x
       WHERE (x."warehouse", x."product", x.month) NOT IN (SELECT y."warehouse", y."product", y.month FROM d y)
       GROUP BY x."warehouse", x."product", x.month
    LOOP
      UPDATE "acc_stock__totals" t SET "quantity" = t."quantity" + v$r.net$1, "amount" = t."amount" + v$r.net$2
       WHERE t.area = v$area AND t."warehouse" = v$r."warehouse" AND t."product" = v$r."product" AND t.month = v$r.month;
    END LOOP;
  END IF;
  WITH s AS (SELECT d."warehouse", d."product", sum(d.rcpt$1 - d.exp$1) AS net$1, sum(d.rcpt$2 - d.exp$2) AS net$2
               FROM unnest(d$month, d$k1, d$k2, d$r1, d$r2, d$e1, d$e2) d(month, "warehouse", "product", rcpt$1, rcpt$2, exp$1, exp$2) GROUP BY d."warehouse", d."product"),
       b AS (INSERT INTO "acc_stock__balance" AS b ("warehouse", "product", "quantity", "amount")
             SELECT "warehouse", "product", net$1, net$2 FROM s WHERE net$1 <> 0 OR net$2 <> 0
             ON CONFLICT (area, "warehouse", "product") DO UPDATE SET "quantity" = b."quantity" + excluded."quantity", "amount" = b."amount" + excluded."amount"
             RETURNING b."quantity", b."amount")
  SELECT count(*) FILTER (WHERE b."quantity" = 0 AND b."amount" = 0) INTO v$bzero FROM b;
  END IF;
    IF v$zero > 0 THEN
    FOR v$i IN 1 .. cardinality(d$month) LOOP
      DELETE FROM "acc_stock__totals" t WHERE t.area = v$area AND t."warehouse" = d$k1[v$i] AND t."product" = d$k2[v$i] AND t.month = d$month[v$i] AND t."quantity_receipt" = 0 AND t."amount_receipt" = 0 AND t."quantity_expense" = 0 AND t."amount_expense" = 0;
    END LOOP;
  END IF;
    IF v$bzero > 0 THEN
    FOR v$i IN 1 .. cardinality(d$month) LOOP
      DELETE FROM "acc_stock__balance" b WHERE b.area = v$area AND b."warehouse" = d$k1[v$i] AND b."product" = d$k2[v$i] AND b."quantity" = 0 AND b."amount" = 0;
    END LOOP;
  END IF;
  END IF;
  IF p$check AND m$dec THEN
    WITH p AS (SELECT p.doc, p.ord FROM jsonb_array_elements(p$docs) WITH ORDINALITY p(doc, ord)),
    f AS MATERIALIZED (SELECT array_agg(coalesce((p.doc->>'c')::boolean, false) ORDER BY p.ord) AS c FROM p),
    pd AS (SELECT ord, month, "warehouse", "product", sum(rcpt$1) AS rcpt$1, sum(rcpt$2) AS rcpt$2, sum(exp$1) AS exp$1, sum(exp$2) AS exp$2
              FROM (SELECT p.ord, (e->>0)::date AS month, (e->>1)::uuid AS "warehouse", (e->>2)::uuid AS "product", (e->>3)::numeric AS rcpt$1, (e->>4)::numeric AS rcpt$2, (e->>5)::numeric AS exp$1, (e->>6)::numeric AS exp$2
              FROM p CROSS JOIN LATERAL jsonb_array_elements(p.doc->'delta') e
                    UNION ALL
                    SELECT o.ord, o.month, o."warehouse", o."product", -o.rcpt$1, -o.rcpt$2, -o.exp$1, -o.exp$2
                      FROM unnest(m$ord, o$month, o$k1, o$k2, o$r1, o$r2, o$e1, o$e2) o(ord, month, "warehouse", "product", rcpt$1, rcpt$2, exp$1, exp$2)) u
             GROUP BY ord, month, "warehouse", "product"
            HAVING sum(rcpt$1) <> 0 OR sum(rcpt$2) <> 0 OR sum(exp$1) <> 0 OR sum(exp$2) <> 0),
    k AS (SELECT ord, "warehouse", "product", sum(rcpt$1 - exp$1) AS net$1, sum(rcpt$2 - exp$2) AS net$2
            FROM pd GROUP BY ord, "warehouse", "product"),
    c AS (SELECT k.*, sum(net$1) OVER (PARTITION BY "warehouse", "product" ORDER BY ord) AS cum$1, sum(net$1) OVER (PARTITION BY "warehouse", "product") AS tot$1, sum(net$2) OVER (PARTITION BY "warehouse", "product" ORDER BY ord) AS cum$2, sum(net$2) OVER (PARTITION BY "warehouse", "product") AS tot$2 FROM k)
    SELECT jsonb_agg(jsonb_build_object('document', c.ord, 'warehouse', c."warehouse", 'product', c."product", 'quantity', (coalesce(b."quantity", 0) - c.tot$1 + c.cum$1)::text, 'amount', (coalesce(b."amount", 0) - c.tot$2 + c.cum$2)::text) ORDER BY c.ord) INTO v$neg
      FROM c CROSS JOIN f
      LEFT JOIN LATERAL (SELECT b."quantity", b."amount" FROM "acc_stock__balance" b WHERE b.area = v$area AND b."warehouse" = c."warehouse" AND b."product" = c."product") b ON true
     WHERE f.c[c.ord::integer] AND ((c.net$1 < 0 AND coalesce(b."quantity", 0) - c.tot$1 + c.cum$1 < 0) OR (c.net$2 < 0 AND coalesce(b."amount", 0) - c.tot$2 + c.cum$2 < 0));
    IF v$neg IS NOT NULL THEN
      RAISE EXCEPTION USING ERRCODE = 'ZR001', MESSAGE = 'acc_stock: negative balance', DETAIL = v$neg::text;
    END IF;
  END IF;
END
$fn$;
COMMENT ON FUNCTION "acc_stock__write_many"(boolean, jsonb) IS 'register engine';
GRANT EXECUTE ON FUNCTION "acc_stock__write_many"(boolean, jsonb) TO "app_user";
