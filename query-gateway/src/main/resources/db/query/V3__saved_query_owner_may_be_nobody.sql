-- issue #13: only a saved query's owner or an admin edits or deletes it.
-- Every row written so far names the user who created it (owner was NOT NULL); those users keep their queries.
-- A query owned by nobody (NULL, e.g. a blank owner from a hand-made row, or one whose owner was removed on
-- purpose) may be edited and deleted by admins only.
ALTER TABLE saved_query ALTER COLUMN owner DROP NOT NULL;
UPDATE saved_query SET owner = NULL WHERE btrim(owner) = '';
CREATE INDEX saved_query_owner ON saved_query (owner);
