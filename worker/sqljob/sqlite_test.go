package sqljob

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Each SQL type comes back as the JSON a user expects: README "The sql
// job" (integers, reals, text, base64 bytes, booleans, RFC 3339 times,
// null), rows as objects in column order.
func TestSQLiteRowsAsJSON(t *testing.T) {
	j, _ := newSQLite(t)
	out, err := handle(context.Background(), j, `{"query": "SELECT * FROM t ORDER BY id"}`)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"columns":["id","name","score","data","ok","at","note"],"rows":[` +
		`{"id":1,"name":"a","score":1.5,"data":"AP8=","ok":true,"at":"2024-05-06T07:08:09Z","note":null},` +
		`{"id":2,"name":"b","score":-2,"data":"","ok":false,"at":"2024-05-06T07:08:09.5Z","note":"two"}]}`
	if out != want {
		t.Fatalf("result\n got %s\nwant %s", out, want)
	}
}

func TestSQLiteArgsAndEmptyResult(t *testing.T) {
	j, _ := newSQLite(t)
	for _, tc := range []struct{ input, want string }{
		{`{"query": "SELECT name FROM t WHERE id = ?", "args": [2]}`, `{"columns":["name"],"rows":[{"name":"b"}]}`},
		{`{"query": "SELECT ? AS s, ? AS i, ? AS f, ? AS b, ? AS n", "args": ["x", 9007199254740993, 0.25, true, null]}`,
			`{"columns":["s","i","f","b","n"],"rows":[{"s":"x","i":9007199254740993,"f":0.25,"b":1,"n":null}]}`},
		{`{"query": "SELECT id FROM t WHERE name = ?", "args": ["nobody"]}`, `{"columns":["id"],"rows":[]}`},
		{`{"query": "VALUES (1, 'a');"}`, `{"columns":["column1","column2"],"rows":[{"column1":1,"column2":"a"}]}`},
		{`{"query": "SELECT 0.0 / 0 AS nan, 1e999 AS inf, -1e999 AS ninf"}`,
			`{"columns":["nan","inf","ninf"],"rows":[{"nan":null,"inf":"Infinity","ninf":"-Infinity"}]}`},
	} {
		out, err := handle(context.Background(), j, tc.input)
		if err != nil || out != tc.want {
			t.Errorf("%s:\n got %s, %v\nwant %s", tc.input, out, err, tc.want)
		}
	}
}

func TestSQLiteBadInput(t *testing.T) {
	j, _ := newSQLite(t)
	for _, tc := range []struct{ input, name, cause string }{
		{`[1]`, "InvalidInput", "JSON object"},
		{`{"args": []}`, "InvalidInput", `"query" is missing`},
		{`{"query": "  "}`, "InvalidInput", `"query" is missing`},
		{`{"query": "SELECT 1", "arg": [1]}`, "InvalidInput", `unknown field "arg"`},
		{`{"query": "SELECT ?", "args": [{"a": 1}]}`, "InvalidInput", "args[0]: must be a string"},
		{`{"query": "SELECT ?", "args": [1e999]}`, "InvalidInput", "out of range"},
		{`{"query": "SELECT 1 AS a, 2 AS a"}`, "InvalidInput", `two columns named "a"`},
		{`{"query": "SELECT * FROM missing"}`, "QueryFailed", "no such table"},
	} {
		_, err := handle(context.Background(), j, tc.input)
		if failureName(err) != tc.name || !strings.Contains(err.Error(), tc.cause) {
			t.Errorf("%s: %v, want %s with %q", tc.input, err, tc.name, tc.cause)
		}
	}
}

// snapshot is everything a write could change: the rows and the schema.
func snapshot(t *testing.T, j *Job) string {
	t.Helper()
	out, err := j.run(context.Background(), "SELECT (SELECT group_concat(id || name || score || hex(data) || ok || at || ifnull(note, '-'), ';') FROM t) AS rows,"+
		" (SELECT group_concat(type || name || sql, ';') FROM sqlite_master) AS schema", nil)
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

// A hostile statement is refused with InvalidJob, and the data, the schema
// and the directory are as they were.
func TestSQLiteRefusesWrites(t *testing.T) {
	j, path := newSQLite(t)
	dir := filepath.Dir(path)
	before := snapshot(t, j)
	for _, q := range []string{
		"DELETE FROM t",
		"UPDATE t SET name = 'x'",
		"INSERT INTO t (id) VALUES (3)",
		"REPLACE INTO t (id, name) VALUES (1, 'z')",
		"SELECT 1; DROP TABLE t",
		"SELECT 1; DELETE FROM t;",
		"WITH x AS (SELECT 1) INSERT INTO t (id) SELECT 3 FROM x",
		"WITH x AS (DELETE FROM t RETURNING *) SELECT * FROM x",
		"PRAGMA query_only = 0",
		"PRAGMA writable_schema = 1",
		"ATTACH DATABASE '" + filepath.Join(dir, "evil.db") + "' AS evil",
		"VACUUM INTO '" + filepath.Join(dir, "copy.db") + "'",
		"CREATE TABLE u (x)",
		"CREATE TEMP TABLE u (x)",
		"DROP TABLE t",
		"ALTER TABLE t ADD COLUMN y",
		"BEGIN; DELETE FROM t; COMMIT",
		"SELECT 1 /* /* */ ; DELETE FROM t -- */",
		"SELECT 1 -- \n; DELETE FROM t",
		"select 1 /* ; */ ; delete from t",
		"SELECT * FROM t WHERE id IN (SELECT 1); UPDATE t SET name = ''",
	} {
		_, err := handle(context.Background(), j, mustJSON(t, map[string]string{"query": q}))
		if failureName(err) != "InvalidJob" {
			t.Errorf("%q: %v, want InvalidJob", q, err)
		}
	}
	if after := snapshot(t, j); after != before {
		t.Fatalf("the data changed:\n%s\n%s", before, after)
	}
	for _, f := range []string{"evil.db", "copy.db"} {
		if _, err := os.Stat(filepath.Join(dir, f)); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s exists (%v)", f, err)
		}
	}
}

// Past the lexical check (run skips it), the database refuses writes
// itself: the connection is read-only, and a refused write is InvalidJob.
func TestSQLiteDatabaseRefusesWrites(t *testing.T) {
	j, path := newSQLite(t)
	before := snapshot(t, j)
	for _, q := range []string{
		"DELETE FROM t",
		"UPDATE t SET name = 'x'",
		"INSERT INTO t (id) VALUES (3) RETURNING id",
		"CREATE TABLE u (x)",
		"DROP TABLE t",
		"SELECT 1; DELETE FROM t",
		"WITH x AS (SELECT 1) INSERT INTO t (id) SELECT 3 FROM x",
	} {
		if _, err := j.run(context.Background(), q, nil); failureName(err) != "InvalidJob" {
			t.Errorf("%q: %v, want InvalidJob", q, err)
		}
	}
	if _, err := j.run(context.Background(), "SELECT load_extension('/nonexistent')", nil); failureName(err) != "QueryFailed" ||
		!strings.Contains(err.Error(), "not authorized") {
		t.Errorf("load_extension: %v, want QueryFailed: not authorized", err)
	}
	// Turning query_only off leaves the connection read-only.
	if _, err := j.run(context.Background(), "PRAGMA query_only = 0", nil); err != nil {
		t.Logf("PRAGMA query_only = 0: %v", err)
	}
	if _, err := j.run(context.Background(), "DELETE FROM t", nil); failureName(err) != "InvalidJob" {
		t.Errorf("DELETE after PRAGMA query_only = 0: %v, want InvalidJob", err)
	}
	if after := snapshot(t, j); after != before {
		t.Fatalf("the data changed:\n%s\n%s", before, after)
	}
	if _, err := os.Stat(path + "-journal"); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a rollback journal exists (%v)", err)
	}
}

// The result is capped at MaxResultBytes: a query of endless rows fails
// with ResultTooLarge once past it, having read only what it needed.
func TestSQLiteResultCap(t *testing.T) {
	j, _ := newSQLite(t)
	endless := `WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT x, printf('%0100d', x) AS pad FROM c`
	_, err := handle(context.Background(), j, mustJSON(t, map[string]string{"query": endless}))
	if failureName(err) != "ResultTooLarge" || !strings.Contains(err.Error(), "262144-byte limit") {
		t.Fatalf("endless rows: %v, want ResultTooLarge naming the limit", err)
	}
	t.Log(err)

	// A result of exactly the cap passes, one byte more fails: the cap
	// counts the whole result, {"columns":["s"],"rows":[{"s":"..."}]}.
	const overhead = len(`{"columns":["s"],"rows":[{"s":""}]}`)
	for _, tc := range []struct {
		n    int
		fail bool
	}{{n: MaxResultBytes - overhead, fail: false}, {n: MaxResultBytes - overhead + 1, fail: true}} {
		q := mustJSON(t, map[string]any{"query": "SELECT printf('%.*c', ?, 'x') AS s", "args": []int{tc.n}})
		out, err := handle(context.Background(), j, q)
		if tc.fail != (failureName(err) == "ResultTooLarge") {
			t.Errorf("a %d-byte string: %d bytes, %v", tc.n, len(out), err)
		}
		if err == nil && len(out) != MaxResultBytes {
			t.Errorf("a %d-byte string gave %d bytes, want %d", tc.n, len(out), MaxResultBytes)
		}
	}
}

// Cancelling the job's context interrupts a query that would never end.
func TestSQLiteQueryIsCancellable(t *testing.T) {
	j, _ := newSQLite(t)
	id, running := whenStarted()
	forever := `WITH RECURSIVE c(x) AS (SELECT test_started(?) UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c`
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() {
		_, err := handle(ctx, j, mustJSON(t, map[string]any{"query": forever, "args": []int64{id}}))
		done <- err
	}()
	select {
	case <-running:
	case <-time.After(10 * time.Second):
		t.Fatal("the query did not start")
	}
	cancel()
	at := time.Now()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) || failureName(err) != "" {
			t.Fatalf("cancelled query: %v, want a plain context.Canceled", err)
		}
		t.Logf("the query stopped %v after the cancel", time.Since(at))
	case <-time.After(10 * time.Second):
		t.Fatal("the cancelled query did not stop")
	}
}

func TestSQLiteOpen(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "missing.db")
	if _, err := Open(missing, 1); err == nil {
		t.Fatal("Open of a missing file succeeded")
	}
	if _, err := os.Stat(missing); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("Open created %s (%v)", missing, err)
	}

	j, path := newSQLite(t)
	if n := j.db.Stats().MaxOpenConnections; n != 4 {
		t.Errorf("pool of %d connections, want 4", n)
	}
	// A file: URI may carry its own mode; the job's read-only mode wins.
	k, err := Open("file:"+path+"?mode=rw", 0)
	if err != nil {
		t.Fatal(err)
	}
	if n := k.db.Stats().MaxOpenConnections; n != 16 {
		t.Errorf("default pool of %d connections, want 16", n)
	}
	if _, err := k.run(context.Background(), "DELETE FROM t", nil); failureName(err) != "InvalidJob" {
		t.Errorf("DELETE through a mode=rw URI: %v, want InvalidJob", err)
	}
	if err := k.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := handle(context.Background(), k, `{"query": "SELECT 1"}`); failureName(err) != "QueryFailed" {
		t.Errorf("query after Close: %v, want QueryFailed", err)
	}
}

func TestSQLiteURI(t *testing.T) {
	for _, tc := range []struct{ dsn, want string }{
		{"/data/x.db", "file:/data/x.db?_query_only=1&mode=ro"},
		{"rel/x y.db", "file:rel/x y.db?_query_only=1&mode=ro"},
		{"/a?b#c%d.db", "file:/a%3fb%23c%25d.db?_query_only=1&mode=ro"},
		{"file:/data/x.db?mode=rwc&cache=shared", "file:/data/x.db?_query_only=1&cache=shared&mode=ro"},
	} {
		if got, err := sqliteURI(tc.dsn); err != nil || got != tc.want {
			t.Errorf("sqliteURI(%q) = %q, %v; want %q", tc.dsn, got, err, tc.want)
		}
	}
}
