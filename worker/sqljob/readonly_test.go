package sqljob

import (
	"strings"
	"testing"
)

func TestCheckReadOnlyAllowsReads(t *testing.T) {
	for _, tc := range []struct {
		d dialect
		q string
	}{
		{sqlite, "SELECT 1"},
		{sqlite, "select name from t where id = ?;"},
		{sqlite, "  -- a comment\n SELECT 1 ; -- trailing\n"},
		{sqlite, "/* lead */ WITH x AS (SELECT 1) SELECT * FROM x"},
		{sqlite, "VALUES (1, 'a'), (2, 'b')"},
		{sqlite, "(SELECT 1) UNION (SELECT 2)"},
		{sqlite, "SELECT 'delete; insert into', \"update\", [into], `merge` FROM t"},
		{sqlite, "SELECT :delete, @insert, $update, ?1"},
		{sqlite, "SELECT replace(name, 'a', 'b') FROM t"},
		{postgres, "SELECT $1::text, $2"},
		{postgres, "SELECT $$ delete; $$, $tag$ it's $ $tag$"},
		{postgres, "SELECT E'it\\'s; delete', 'a''b'"},
		{postgres, "SELECT a$b FROM t"},
		{postgres, "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT x FROM c LIMIT 3"},
	} {
		if err := checkReadOnly(tc.q, tc.d); err != nil {
			t.Errorf("%s %q: %v, want allowed", tc.d, tc.q, err)
		}
	}
}

func TestCheckReadOnlyRefusesAnythingElse(t *testing.T) {
	for _, tc := range []struct {
		d    dialect
		q    string
		want string // in the error
	}{
		{sqlite, "", "empty"},
		{sqlite, "-- only a comment", "empty"},
		{sqlite, "DELETE FROM t", "starts with DELETE"},
		{sqlite, "PRAGMA query_only = 0", "starts with PRAGMA"},
		{sqlite, "ATTACH DATABASE 'x.db' AS x", "starts with ATTACH"},
		{sqlite, "EXPLAIN SELECT 1", "starts with EXPLAIN"},
		{sqlite, "SELECT 1; DROP TABLE t", "more than one statement"},
		{sqlite, "SELECT 1;;", "more than one statement"},
		{sqlite, "SELECT 1 /* ; */ ; DELETE FROM t", "more than one statement"},
		{sqlite, "SELECT 1 -- x\n; DELETE FROM t", "more than one statement"},
		{sqlite, "WITH x AS (DELETE FROM t RETURNING *) SELECT * FROM x", "uses DELETE"},
		{sqlite, "WITH x AS (SELECT 1) INSERT INTO t VALUES (9, 'z')", "uses INSERT"},
		{sqlite, "WITH x AS (SELECT 1) REPLACE INTO t VALUES (1, 'z')", "uses INTO"},
		{sqlite, "WITH x AS (SELECT 1) UPDATE t SET name = 'z'", "uses UPDATE"},
		{sqlite, "SELECT 'unterminated", "unterminated '"},
		{sqlite, "SELECT 1 /* unterminated", "unterminated /*"},
		{sqlite, "SELECT 1 /* /* */ ; DELETE FROM t -- */", "nested"},
		{sqlite, "SELECT [unterminated", "unterminated ["},
		{postgres, "SELECT * INTO u FROM t", "uses INTO"},
		{postgres, "SELECT * FROM t FOR UPDATE", "uses UPDATE"},
		{postgres, "MERGE INTO t USING u ON true WHEN MATCHED THEN DELETE", "starts with MERGE"},
		{postgres, "SELECT $$'$$; DELETE FROM t; SELECT $$'$$", "more than one statement"},
		{postgres, "SELECT E'\\\\'; DELETE FROM t; SELECT ''", "more than one statement"},
		{postgres, "SELECT $tag$ never closed", "unterminated $tag$"},
		{postgres, "SELECT $ 1", "neither"},
		{postgres, "SET TRANSACTION READ WRITE", "starts with SET"},
		{postgres, "COPY t TO '/tmp/x'", "starts with COPY"},
	} {
		err := checkReadOnly(tc.q, tc.d)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s %q: %v, want an error with %q", tc.d, tc.q, err, tc.want)
		}
	}
}
