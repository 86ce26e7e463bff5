DO $$DECLARE f regprocedure; BEGIN
  FOR f IN SELECT p.oid::regprocedure FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
            WHERE n.nspname = current_schema() AND obj_description(p.oid, 'pg_proc') = 'register engine'
              AND NOT (p.proname = ANY (ARRAY['acc_purchases__write', 'acc_purchases__write_staged', 'acc_stock__write', 'acc_stock__write_staged']::text[]))
  LOOP EXECUTE 'DROP FUNCTION ' || f::text; END LOOP;
END$$;
