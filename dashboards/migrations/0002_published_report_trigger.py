"""On PostgreSQL, the database itself keeps a published quarterly report as it was published:
a trigger refuses every UPDATE and DELETE of a row whose published_at is set. A draft may be
changed and published. SQLite, the embedded default, relies on the model's refusals."""

from django.db import migrations

CREATE = """
CREATE FUNCTION quarterly_report_published_is_final() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.published_at IS NOT NULL THEN
        RAISE EXCEPTION 'a published quarterly report is never changed'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER quarterly_report_published_is_final
    BEFORE UPDATE OR DELETE ON dashboards_quarterlyreport
    FOR EACH ROW EXECUTE FUNCTION quarterly_report_published_is_final();
"""

DROP = """
DROP TRIGGER IF EXISTS quarterly_report_published_is_final ON dashboards_quarterlyreport;
DROP FUNCTION IF EXISTS quarterly_report_published_is_final();
"""


def _on_postgresql(sql: str):
    def run(apps, schema_editor) -> None:
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("dashboards", "0001_quarterly_report")]

    operations = [
        migrations.RunPython(_on_postgresql(CREATE), _on_postgresql(DROP), elidable=False),
    ]
