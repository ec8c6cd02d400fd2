package sqljob

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stepwire/stepwire/internal/jobwire"
	"github.com/stepwire/stepwire/worker"
)

func sqlJob(input string) jobwire.Job {
	return jobwire.Job{TaskToken: "tok", JobType: JobType, Input: json.RawMessage(input)}
}

// Without a database, a sql job fails with DatabaseNotConfigured, not
// UnknownJobType.
func TestRegisterWithoutDatabase(t *testing.T) {
	r := worker.DefaultHandler()
	c, err := Register(r, "", 0)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = c.Close() }()
	_, err = r.Handle(context.Background(), sqlJob(`{"query": "SELECT 1"}`))
	if failureName(err) != FailureNotConfigured || !strings.Contains(err.Error(), "--database") {
		t.Fatalf("sql job without a database: %v, want %s naming the flag", err, FailureNotConfigured)
	}
}

func TestRegisterWithDatabase(t *testing.T) {
	_, path := newSQLite(t)
	r := worker.DefaultHandler()
	c, err := Register(r, path, 2)
	if err != nil {
		t.Fatal(err)
	}
	out, err := r.Handle(context.Background(), sqlJob(`{"query": "SELECT count(*) AS n FROM t"}`))
	if err != nil || string(out) != `{"columns":["n"],"rows":[{"n":2}]}` {
		t.Fatalf("sql job: %s, %v", out, err)
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := Register(r, filepath.Join(t.TempDir(), "missing.db"), 2); err == nil {
		t.Fatal("Register with a missing SQLite file succeeded")
	}
}
