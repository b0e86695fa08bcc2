"""On PostgreSQL, the database itself keeps the audit append-only: a trigger refuses every
UPDATE, and every DELETE of a row younger than the retention the deleting transaction declares
(audit.services.audit_purge declares AUDIT_RETENTION_DAYS; nothing else declares one, so
nothing else can delete). SQLite, the embedded default, relies on the model's refusals."""

from django.db import migrations

CREATE = """
CREATE FUNCTION audit_record_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    retention text := current_setting('portal.audit_retention_days', true);
BEGIN
    IF TG_OP = 'UPDATE' THEN
        RAISE EXCEPTION 'audit records are never changed' USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF retention IS NULL OR retention = ''
       OR OLD.at >= now() - make_interval(days => retention::integer) THEN
        RAISE EXCEPTION 'audit records are deleted only by the purge, after the retention'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN OLD;
END;
$$;
CREATE TRIGGER audit_record_append_only
    BEFORE UPDATE OR DELETE ON audit_auditrecord
    FOR EACH ROW EXECUTE FUNCTION audit_record_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS audit_record_append_only ON audit_auditrecord;
DROP FUNCTION IF EXISTS audit_record_append_only();
"""


def _on_postgresql(sql: str):
    def run(apps, schema_editor) -> None:
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_audit_record")]

    operations = [
        migrations.RunPython(_on_postgresql(CREATE), _on_postgresql(DROP), elidable=False),
    ]
