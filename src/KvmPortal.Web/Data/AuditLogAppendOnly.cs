namespace KvmPortal.Web.Data;

/// <summary>
/// The database-side guard of the audit log, installed by the AuditLog migration: a trigger refuses every UPDATE,
/// DELETE and TRUNCATE on the table. The application never changes a row, so the guard is for everything else:
/// a bug, a compromised app account running arbitrary SQL through an injection, or a hand-edit "to tidy up".
/// An audit log that its subject can quietly rewrite proves nothing. (A superuser can still drop the trigger;
/// that is itself a DDL change a database audit would show.)
/// </summary>
internal static class AuditLogAppendOnly
{
    public const string Install = """
        CREATE FUNCTION audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION 'The audit log is append-only: % is refused', TG_OP
                USING ERRCODE = 'insufficient_privilege';
        END
        $$;
        CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON "AuditLog"
            FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change();
        CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON "AuditLog"
            FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change();
        """;

    public const string Uninstall = """
        DROP TRIGGER IF EXISTS audit_log_no_truncate ON "AuditLog";
        DROP TRIGGER IF EXISTS audit_log_append_only ON "AuditLog";
        DROP FUNCTION IF EXISTS audit_log_refuse_change();
        """;
}
