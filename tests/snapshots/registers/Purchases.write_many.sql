CREATE OR REPLACE FUNCTION "acc_purchases__write_many"(p$check boolean, p$docs jsonb) RETURNS void LANGUAGE plpgsql VOLATILE SECURITY INVOKER
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
  IF v$area IS NULL THEN RAISE EXCEPTION 'acc_purchases__write_many: app.area is not set'; END IF;
  IF EXISTS (SELECT 1 FROM jsonb_array_elements(p$docs) p(doc) CROSS JOIN LATERAL (SELECT m.line FROM "acc_purchases" m WHERE m.area = v$area AND m.recorder = (p.doc->>'r')::uuid ORDER BY m.recorder, m.line LIMIT 1) l) THEN
    IF EXISTS (SELECT 1 FROM jsonb_array_elements(p$docs) p(doc) CROSS JOIN LATERAL (SELECT m.line FROM "acc_purchases" m WHERE m.area = v$area AND m.recorder = (p.doc->>'r')::uuid ORDER BY m.recorder, m.line OFFSET 5000 LIMIT 1) l) THEN
      RAISE EXCEPTION 'acc_purchases__write_many: a large record set is replaced: write it alone';
    END IF;
    WITH p AS (SELECT p.ord, (p.doc->>'r')::uuid AS r FROM jsonb_array_elements(p$docs) WITH ORDINALITY p(doc, ord)),
    old AS (DELETE FROM "acc_purchases" t USING p CROSS JOIN LATERAL (SELECT m.line FROM "acc_purchases" m WHERE m.area = v$area AND m.recorder = p.r ORDER BY m.recorder, m.line) l
             WHERE t.area = v$area AND t.recorder = p.r AND t.line = l.line
            RETURNING p.ord, t.period, t.record_kind, t."product", t."quantity", t."amount")
    SELECT array_agg(ord), array_agg(month), array_agg("product"), array_agg(rcpt$1), array_agg(rcpt$2) INTO m$ord, o$month, o$k1, o$r1, o$r2
      FROM (SELECT m.ord, date_trunc('month', m.period)::date AS month, m."product", sum(m."quantity" * m.record_kind) AS rcpt$1, sum(m."amount" * m.record_kind) AS rcpt$2
              FROM old m GROUP BY 1, 2, m."product") g;
  END IF;
  IF m$ord IS NULL THEN
    WITH p AS (SELECT p.doc, p.ord FROM jsonb_array_elements(p$docs) WITH ORDINALITY p(doc, ord)),
  ins AS (INSERT INTO "acc_purchases" (recorder, recorder_kind, line, period, record_kind, "product", "quantity", "amount")
          SELECT (p.doc->>'r')::uuid, p.doc->>'k', e.line, (e.r->>0)::timestamp, (e.r->>1)::smallint, (e.r->>2)::uuid, (e.r->>3)::numeric, (e.r->>4)::numeric FROM p CROSS JOIN LATERAL jsonb_array_elements(p.doc->'rows') WITH ORDINALITY AS e(r, line)),
  pd AS (SELECT p.ord, (e->>0)::date AS month, (e->>1)::uuid AS "product", (e->>2)::numeric AS rcpt$1, (e->>3)::numeric AS rcpt$2
              FROM p CROSS JOIN LATERAL jsonb_array_elements(p.doc->'delta') e),
  g AS (SELECT month, "product", sum(rcpt$1) AS rcpt$1, sum(rcpt$2) AS rcpt$2 FROM pd GROUP BY month, "product")
  SELECT a.*, b.* INTO d$month, d$k1, d$r1, d$r2, m$keys, v$locks, m$dec
    FROM (SELECT array_agg(month), array_agg("product"), array_agg(rcpt$1), array_agg(rcpt$2), count(DISTINCT hashtext(concat_ws(chr(31), v$area, "product")))
            FROM g WHERE rcpt$1 <> 0 OR rcpt$2 <> 0) a,
         (SELECT array_agg(DISTINCT hashtext(concat_ws(chr(31), v$area, "product")) ORDER BY hashtext(concat_ws(chr(31), v$area, "product"))), false FROM pd) b;
  ELSE
    WITH p AS (SELECT p.doc, p.ord FROM jsonb_array_elements(p$docs) WITH ORDINALITY p(doc, ord)),
  ins AS (INSERT INTO "acc_purchases" (recorder, recorder_kind, line, period, record_kind, "product", "quantity", "amount")
          SELECT (p.doc->>'r')::uuid, p.doc->>'k', e.line, (e.r->>0)::timestamp, (e.r->>1)::smallint, (e.r->>2)::uuid, (e.r->>3)::numeric, (e.r->>4)::numeric FROM p CROSS JOIN LATERAL jsonb_array_elements(p.doc->'rows') WITH ORDINALITY AS e(r, line)),
  pd AS (SELECT ord, month, "product", sum(rcpt$1) AS rcpt$1, sum(rcpt$2) AS rcpt$2
              FROM (SELECT p.ord, (e->>0)::date AS month, (e->>1)::uuid AS "product", (e->>2)::numeric AS rcpt$1, (e->>3)::numeric AS rcpt$2
              FROM p CROSS JOIN LATERAL jsonb_array_elements(p.doc->'delta') e
                    UNION ALL
                    SELECT o.ord, o.month, o."product", -o.rcpt$1, -o.rcpt$2
                      FROM unnest(m$ord, o$month, o$k1, o$r1, o$r2) o(ord, month, "product", rcpt$1, rcpt$2)) u
             GROUP BY ord, month, "product"
            HAVING sum(rcpt$1) <> 0 OR sum(rcpt$2) <> 0),
  g AS (SELECT month, "product", sum(rcpt$1) AS rcpt$1, sum(rcpt$2) AS rcpt$2 FROM pd GROUP BY month, "product")
  SELECT a.*, b.* INTO d$month, d$k1, d$r1, d$r2, m$keys, v$locks, m$dec
    FROM (SELECT array_agg(month), array_agg("product"), array_agg(rcpt$1), array_agg(rcpt$2), count(DISTINCT hashtext(concat_ws(chr(31), v$area, "product")))
            FROM g WHERE rcpt$1 <> 0 OR rcpt$2 <> 0) a,
         (SELECT array_agg(DISTINCT hashtext(concat_ws(chr(31), v$area, "product")) ORDER BY hashtext(concat_ws(chr(31), v$area, "product"))), false FROM pd) b;
  END IF;
  IF v$locks IS NOT NULL THEN
    IF cardinality(v$locks) > 1000 THEN
    PERFORM pg_advisory_xact_lock(-605025893, v$area);
  ELSE
    PERFORM pg_advisory_xact_lock_shared(-605025893, v$area);
    PERFORM pg_advisory_xact_lock(1129730178, key_hash) FROM unnest(v$locks) key_hash;
  END IF;
  END IF;
  IF d$month IS NOT NULL THEN
    WITH month_rows AS (INSERT INTO "acc_purchases__totals" AS totals (month, "product", "quantity", "amount")
        SELECT delta.month, delta."product", delta.rcpt$1, delta.rcpt$2 FROM unnest(d$month, d$k1, d$r1, d$r2) delta(month, "product", rcpt$1, rcpt$2)
        ON CONFLICT (area, "product", month) DO UPDATE SET "quantity" = totals."quantity" + excluded."quantity", "amount" = totals."amount" + excluded."amount"
        RETURNING (totals."quantity" = 0 AND totals."amount" = 0) AS zero)
  SELECT count(*) FILTER (WHERE zero) INTO v$zero FROM month_rows;
    IF v$zero > 0 THEN
    FOR v$i IN 1 .. cardinality(d$month) LOOP
      DELETE FROM "acc_purchases__totals" totals WHERE totals.area = v$area AND totals."product" = d$k1[v$i] AND totals.month = d$month[v$i] AND totals."quantity" = 0 AND totals."amount" = 0;
    END LOOP;
  END IF;
  END IF;
END
$fn$;
COMMENT ON FUNCTION "acc_purchases__write_many"(boolean, jsonb) IS 'register engine';
GRANT EXECUTE ON FUNCTION "acc_purchases__write_many"(boolean, jsonb) TO "app_user";
