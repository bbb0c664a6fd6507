"""The organisation tree kept sound by PostgreSQL itself, whoever writes (admin, import, bulk).

On every insert or update of an organisation, the trigger:
- refuses a parent that is the organisation itself or one of its descendants (no cycles);
- refuses a type that may not stand at the top without a parent, or may not sit under the
  parent's type (OrganisationType.allowed_parents), and a type change that its children forbid;
- computes path ("00000012/00000345/") and depth from the parent, ignoring what the client sent;
- when the path changes (a move), rewrites the paths of all descendants in one statement.
Errors carry SQLSTATE 23514 (check_violation), which Django raises as IntegrityError.
"""

from django.db import migrations

CREATE = r"""
CREATE FUNCTION members_organisation_tree() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    step CONSTANT integer := 8;
    parent_path varchar;
    parent_type bigint;
    new_path varchar;
BEGIN
    -- The descendants' path rewrite below fires this trigger again: those rows are already right.
    IF pg_trigger_depth() > 1 THEN
        RETURN NEW;
    END IF;

    IF NEW.parent_id IS NULL THEN
        IF NOT (SELECT can_be_top_level FROM members_organisationtype WHERE id = NEW.type_id) THEN
            RAISE EXCEPTION 'an organisation of type % must have a parent', NEW.type_id
                USING ERRCODE = 'check_violation';
        END IF;
        new_path := lpad(NEW.id::text, step, '0') || '/';
    ELSE
        SELECT path, type_id INTO parent_path, parent_type
            FROM members_organisation WHERE id = NEW.parent_id;
        IF TG_OP = 'UPDATE' AND parent_path LIKE OLD.path || '%' THEN
            RAISE EXCEPTION 'organisation % cannot be placed under itself or its descendant %',
                NEW.id, NEW.parent_id USING ERRCODE = 'check_violation';
        END IF;
        IF NOT EXISTS (
            SELECT 1 FROM members_organisationtype_allowed_parents
            WHERE from_organisationtype_id = NEW.type_id AND to_organisationtype_id = parent_type
        ) THEN
            RAISE EXCEPTION 'type % may not sit under type %', NEW.type_id, parent_type
                USING ERRCODE = 'check_violation';
        END IF;
        new_path := parent_path || lpad(NEW.id::text, step, '0') || '/';
    END IF;

    IF TG_OP = 'UPDATE' AND NEW.type_id <> OLD.type_id AND EXISTS (
        SELECT 1 FROM members_organisation child
        WHERE child.parent_id = NEW.id AND NOT EXISTS (
            SELECT 1 FROM members_organisationtype_allowed_parents allowed
            WHERE allowed.from_organisationtype_id = child.type_id
              AND allowed.to_organisationtype_id = NEW.type_id
        )
    ) THEN
        RAISE EXCEPTION 'organisation % has sub-units that may not sit under type %',
            NEW.id, NEW.type_id USING ERRCODE = 'check_violation';
    END IF;

    NEW.path := new_path;
    NEW.depth := length(new_path) / (step + 1) - 1;

    IF TG_OP = 'UPDATE' AND new_path <> OLD.path THEN
        -- A literal prefix, so that the planner uses the path index.
        EXECUTE format(
            'UPDATE members_organisation SET path = %L || substr(path, %s), '
            'depth = length(%L || substr(path, %s)) / %s - 1 '
            'WHERE path LIKE %L AND id <> %s',
            new_path, length(OLD.path) + 1, new_path, length(OLD.path) + 1, step + 1,
            OLD.path || '%', NEW.id
        );
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER members_organisation_tree
    BEFORE INSERT OR UPDATE ON members_organisation
    FOR EACH ROW EXECUTE FUNCTION members_organisation_tree();
"""

DROP = """
DROP TRIGGER IF EXISTS members_organisation_tree ON members_organisation;
DROP FUNCTION IF EXISTS members_organisation_tree();
"""


class Migration(migrations.Migration):
    dependencies = [("members", "0001_initial")]

    operations = [migrations.RunSQL(CREATE, DROP)]
