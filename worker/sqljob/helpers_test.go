package sqljob

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"encoding/json"
	"errors"
	"path/filepath"
	"sync"
	"testing"

	sqlitedrv "modernc.org/sqlite"

	"github.com/stepwire/stepwire/internal/jobwire"
	"github.com/stepwire/stepwire/worker"
)

// started is closed by the SQL function test_started(), so a test knows
// that a query is running.
var (
	startedMu sync.Mutex
	started   = map[int64]chan struct{}{}
)

func init() {
	sqlitedrv.MustRegisterScalarFunction("test_started", 1, func(_ *sqlitedrv.FunctionContext, args []driver.Value) (driver.Value, error) {
		id, _ := args[0].(int64)
		startedMu.Lock()
		defer startedMu.Unlock()
		if ch, ok := started[id]; ok {
			close(ch)
			delete(started, id)
		}
		return int64(1), nil
	})
}

// whenStarted returns an id for test_started(id) and a channel closed when
// a query calls it.
func whenStarted() (int64, <-chan struct{}) {
	startedMu.Lock()
	defer startedMu.Unlock()
	id := int64(len(started) + 1000)
	for started[id] != nil {
		id++
	}
	ch := make(chan struct{})
	started[id] = ch
	return id, ch
}

// seed is the test table, created through a writable connection.
const seed = `
CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT, score REAL, data BLOB, ok BOOLEAN, at DATETIME, note TEXT);
INSERT INTO t VALUES (1, 'a', 1.5, x'00ff', 1, '2024-05-06 07:08:09', NULL);
INSERT INTO t VALUES (2, 'b', -2, x'', 0, '2024-05-06T07:08:09.5Z', 'two');
`

// newSQLite makes a seeded SQLite file and opens the sql job on it.
func newSQLite(t *testing.T) (*Job, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "test.db")
	rw, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := rw.Exec(seed); err != nil {
		t.Fatal(err)
	}
	if err := rw.Close(); err != nil {
		t.Fatal(err)
	}
	j, err := Open(path, 4)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = j.Close() })
	return j, path
}

// handle runs input as a sql job.
func handle(ctx context.Context, j *Job, input string) (string, error) {
	out, err := j.Handle(ctx, jobwire.Job{TaskToken: "tok", JobType: JobType, Input: json.RawMessage(input)})
	return string(out), err
}

// failureName is the name of err's JobError, or "".
func failureName(err error) string {
	var je *worker.JobError
	if errors.As(err, &je) {
		return je.Name
	}
	return ""
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
