DO $$DECLARE orphan regprocedure; BEGIN
  FOR orphan IN SELECT proc.oid::regprocedure FROM pg_proc proc JOIN pg_namespace ns ON ns.oid = proc.pronamespace
            WHERE ns.nspname = current_schema() AND obj_description(proc.oid, 'pg_proc') = 'register engine'
              AND NOT (proc.proname = ANY (ARRAY['acc_purchases__write', 'acc_purchases__write_staged', 'acc_stock__write', 'acc_stock__write_staged', 'acc_accounting__write', 'acc_accounting__write_staged']::text[]))
  LOOP EXECUTE 'DROP FUNCTION ' || orphan::text; END LOOP;
END$$;
