package sqljob

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/stepwire/stepwire/internal/pgtest"
)

const pgSeed = `
CREATE TABLE t (id int PRIMARY KEY, name text, score float8, data bytea, ok boolean, at timestamptz,
	day date, amount numeric, doc jsonb, note text, big bigint, f4 real, u uuid);
INSERT INTO t VALUES
	(1, 'a', 1.5, '\x00ff', true, '2024-05-06 07:08:09.5+00', '2024-05-06', 12.50, '{"k": [1, "x"]}', NULL,
	 9223372036854775807, 0.5, 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'),
	(2, 'b', 'NaN', '', false, '2024-05-06 07:08:09+02', '2024-05-07', 'NaN', 'null', 'two', -1, '-Infinity', NULL);
CREATE SEQUENCE s;
SELECT lo_from_bytea(4242, 'large');
CREATE ROLE reader LOGIN;
-- Every privilege on the data, so that only the READ ONLY transaction
-- stands between the job and a write.
GRANT ALL ON t, s TO reader;
GRANT CREATE ON SCHEMA public TO reader;
ALTER LARGE OBJECT 4242 OWNER TO reader;
`

// pgSnapshot is everything a write could change: the rows, the tables and
// the sequence.
func pgSnapshot(t *testing.T, c *pgx.Conn) string {
	t.Helper()
	var s string
	err := c.QueryRow(context.Background(), `SELECT (SELECT string_agg(t::text, ';' ORDER BY id) FROM t)
		|| (SELECT string_agg(relname, ',' ORDER BY relname) FROM pg_class WHERE relnamespace = 'public'::regnamespace)
		|| (SELECT last_value || is_called::text FROM s)
		|| (SELECT count(*) FROM pg_largeobject_metadata)`).Scan(&s)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// The sql job against a real PostgreSQL server (internal/pgtest).
func TestPostgres(t *testing.T) {
	dsn := pgtest.Start(t)
	ctx := context.Background()
	admin, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = admin.Close(ctx) })
	if _, err := admin.Exec(ctx, pgSeed); err != nil {
		t.Fatal(err)
	}
	j, err := Open(strings.Replace(dsn, "//postgres@", "//reader@", 1), 4)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = j.Close() })

	t.Run("rows", func(t *testing.T) { testPostgresRows(t, j) })
	t.Run("args", func(t *testing.T) { testPostgresArgs(t, j) })
	t.Run("refuses writes", func(t *testing.T) { testPostgresRefusesWrites(t, j, admin) })
	t.Run("database refuses writes", func(t *testing.T) { testPostgresDatabaseRefusesWrites(t, j, admin) })
	t.Run("result cap", func(t *testing.T) { testPostgresResultCap(t, j) })
	t.Run("cancel", func(t *testing.T) { testPostgresCancel(t, j, admin) })
	t.Run("unavailable", func(t *testing.T) { testPostgresUnavailable(t) })
	t.Run("superuser refused", func(t *testing.T) { testPostgresSuperuserRefused(t, dsn) })
}

func testPostgresRows(t *testing.T, j *Job) {
	out, err := handle(context.Background(), j, `{"query": "SELECT * FROM t ORDER BY id"}`)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"columns":["id","name","score","data","ok","at","day","amount","doc","note","big","f4","u"],"rows":[` +
		`{"id":1,"name":"a","score":1.5,"data":"AP8=","ok":true,"at":"2024-05-06T07:08:09.5Z","day":"2024-05-06T00:00:00Z",` +
		`"amount":12.50,"doc":{"k":[1,"x"]},"note":null,"big":9223372036854775807,"f4":0.5,"u":"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"},` +
		`{"id":2,"name":"b","score":"NaN","data":"","ok":false,"at":"2024-05-06T05:08:09Z","day":"2024-05-07T00:00:00Z",` +
		`"amount":"NaN","doc":null,"note":"two","big":-1,"f4":"-Infinity","u":null}]}`
	if out != want {
		t.Fatalf("result\n got %s\nwant %s", out, want)
	}
}

func testPostgresArgs(t *testing.T, j *Job) {
	for _, tc := range []struct{ input, want string }{
		{`{"query": "SELECT name FROM t WHERE id = $1", "args": [2]}`, `{"columns":["name"],"rows":[{"name":"b"}]}`},
		{`{"query": "SELECT id FROM t WHERE name = $1 AND ok = $2", "args": ["a", true]}`, `{"columns":["id"],"rows":[{"id":1}]}`},
		{`{"query": "SELECT $1::text AS s, $2::float8 AS f, $3::int AS n", "args": ["x", 0.25, null]}`,
			`{"columns":["s","f","n"],"rows":[{"s":"x","f":0.25,"n":null}]}`},
		{`{"query": "VALUES (1, 'a')"}`, `{"columns":["column1","column2"],"rows":[{"column1":1,"column2":"a"}]}`},
	} {
		out, err := handle(context.Background(), j, tc.input)
		if err != nil || out != tc.want {
			t.Errorf("%s:\n got %s, %v\nwant %s", tc.input, out, err, tc.want)
		}
	}
	if _, err := handle(context.Background(), j, `{"query": "SELECT nope FROM t"}`); failureName(err) != "QueryFailed" ||
		!strings.Contains(err.Error(), "nope") {
		t.Errorf("unknown column: %v, want QueryFailed naming it", err)
	}
}

func testPostgresRefusesWrites(t *testing.T, j *Job, admin *pgx.Conn) {
	before := pgSnapshot(t, admin)
	for _, q := range []string{
		"DELETE FROM t",
		"UPDATE t SET name = 'x'",
		"INSERT INTO t (id) VALUES (3)",
		"SELECT 1; DROP TABLE t",
		"WITH d AS (DELETE FROM t RETURNING *) SELECT * FROM d",
		"WITH x AS (SELECT 1) INSERT INTO t (id) SELECT 3 FROM x",
		"SELECT * INTO u FROM t",
		"SELECT * FROM t FOR UPDATE",
		"CREATE TABLE u (x int)",
		"TRUNCATE t",
		"MERGE INTO t USING (VALUES (1)) v(id) ON t.id = v.id WHEN MATCHED THEN DELETE",
		"COPY t TO STDOUT",
		"SET TRANSACTION READ WRITE",
		"DO $$ BEGIN DELETE FROM t; END $$",
		"CALL p()",
		"SELECT $$'$$; DELETE FROM t; SELECT $$'$$",
		"SELECT E'\\\\'; DELETE FROM t; SELECT ''",
		"SELECT 1 /* /* */ ; DELETE FROM t; -- */",
		"COMMIT; DELETE FROM t",
	} {
		_, err := handle(context.Background(), j, mustJSON(t, map[string]string{"query": q}))
		if failureName(err) != "InvalidJob" {
			t.Errorf("%q: %v, want InvalidJob", q, err)
		}
	}
	if after := pgSnapshot(t, admin); after != before {
		t.Fatalf("the data changed:\n%s\n%s", before, after)
	}
}

// Past the lexical check (run skips it), the READ ONLY transaction refuses
// writes: InvalidJob. A statement the server refuses to run at all (two
// commands in one prepared statement) is QueryFailed.
func testPostgresDatabaseRefusesWrites(t *testing.T, j *Job, admin *pgx.Conn) {
	exported := filepath.Join(os.TempDir(), fmt.Sprintf("sqljob-lo-export-%d", os.Getpid()))
	before := pgSnapshot(t, admin)
	for _, tc := range []struct{ q, name string }{
		{"DELETE FROM t", "InvalidJob"},
		{"UPDATE t SET name = 'x'", "InvalidJob"},
		{"INSERT INTO t (id) VALUES (3)", "InvalidJob"},
		{"CREATE TABLE u (x int)", "InvalidJob"},
		{"DROP TABLE t", "InvalidJob"},
		{"TRUNCATE t", "InvalidJob"},
		{"WITH d AS (DELETE FROM t RETURNING *) SELECT * FROM d", "InvalidJob"},
		{"SELECT * INTO u FROM t", "InvalidJob"},
		{"SELECT * FROM t FOR UPDATE", "InvalidJob"},
		{"SELECT * FROM t FOR SHARE", "InvalidJob"},
		{"SELECT nextval('s')", "InvalidJob"},
		{"SELECT setval('s', 42)", "InvalidJob"},
		{"DO $$ BEGIN DELETE FROM t; END $$", "InvalidJob"},
		// Allowed in a READ ONLY transaction, but the job's transaction is
		// always rolled back: the large object is gone afterwards.
		{"SELECT lo_create(0)", ""},
		// These read and write server files, read-only transaction or not;
		// refused only because reader is not a superuser (checkRole).
		{"SELECT lo_import('/etc/hostname')", "QueryFailed"},
		{"SELECT lo_export(4242, '" + exported + "')", "QueryFailed"},
		{"SELECT set_config('transaction_read_only', 'off', true)", "QueryFailed"},
		{"SELECT 1; DELETE FROM t", "QueryFailed"},
	} {
		if _, err := j.run(context.Background(), tc.q, nil); failureName(err) != tc.name {
			t.Errorf("%q: %v, want %s", tc.q, err, tc.name)
		}
	}
	if after := pgSnapshot(t, admin); after != before {
		t.Fatalf("the data changed:\n%s\n%s", before, after)
	}
	if _, err := os.Stat(exported); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("lo_export wrote %s (%v)", exported, err)
		_ = os.Remove(exported)
	}
}

// Past the cap the job fails, cancels the query, and the pool still works.
func testPostgresResultCap(t *testing.T, j *Job) {
	start := time.Now()
	_, err := handle(context.Background(), j, `{"query": "SELECT x, repeat('x', 100) AS pad FROM generate_series(1, 5000000) AS x"}`)
	if failureName(err) != "ResultTooLarge" {
		t.Fatalf("5 million rows: %v, want ResultTooLarge", err)
	}
	t.Logf("5 million rows failed with ResultTooLarge in %v", time.Since(start))
	for i := 0; i < 8; i++ { // more than the pool's 4 connections
		if out, err := handle(context.Background(), j, `{"query": "SELECT 1 AS one"}`); err != nil || out != `{"columns":["one"],"rows":[{"one":1}]}` {
			t.Fatalf("query after the cap: %s, %v", out, err)
		}
	}
}

// Cancelling the job cancels the query on the server, promptly.
func testPostgresCancel(t *testing.T, j *Job, admin *pgx.Conn) {
	const q = "SELECT pg_sleep(600) AS slept"
	running := func() int {
		var n int
		if err := admin.QueryRow(context.Background(),
			"SELECT count(*) FROM pg_stat_activity WHERE query = $1 AND state = 'active'", q).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() {
		_, err := handle(ctx, j, mustJSON(t, map[string]string{"query": q}))
		done <- err
	}()
	poll(t, "the query to run", func() bool { return running() == 1 })
	cancel()
	at := time.Now()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) || failureName(err) != "" {
			t.Fatalf("cancelled query: %v, want a plain context.Canceled", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the cancelled query did not return")
	}
	returned := time.Since(at)
	poll(t, "the server to stop the query", func() bool { return running() == 0 })
	t.Logf("the job returned %v and the server stopped the query %v after the cancel", returned, time.Since(at))
}

func testPostgresUnavailable(t *testing.T) {
	k, err := Open("postgres://postgres@127.0.0.1:1/postgres?sslmode=disable&connect_timeout=5", 1)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = k.Close() }()
	if _, err := handle(context.Background(), k, `{"query": "SELECT 1"}`); failureName(err) != "DatabaseUnavailable" {
		t.Fatalf("unreachable server: %v, want DatabaseUnavailable", err)
	}
}

// A superuser could write server files from a read-only query, so the job
// does not connect as one.
func testPostgresSuperuserRefused(t *testing.T, dsn string) {
	k, err := Open(dsn, 1)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = k.Close() }()
	_, err = handle(context.Background(), k, `{"query": "SELECT 1"}`)
	if failureName(err) != "DatabaseUnavailable" || !strings.Contains(err.Error(), "superuser") {
		t.Fatalf("as a superuser: %v, want DatabaseUnavailable naming the reason", err)
	}
}

// poll waits until cond holds, failing after 10s.
func poll(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond) // polling interval, not synchronisation
	}
}
