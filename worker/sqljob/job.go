// Package sqljob is the worker's "sql" job: a parameterised read-only
// query against a database next to the worker, SQLite (modernc.org/sqlite,
// pure Go) or PostgreSQL (pgx), whose rows become the task's output.
//
// Input: {"query": "SELECT name FROM t WHERE id = ?", "args": [1]}; args
// are JSON strings, numbers, booleans or nulls, bound to the query's
// placeholders (? in SQLite, $1 in PostgreSQL). Output:
// {"columns": ["name"], "rows": [{"name": "a"}]}, see result.go for how SQL
// types map to JSON.
//
// Only reads run, checked twice: the statement must lexically be one
// SELECT, WITH ... SELECT or VALUES (readonly.go), and the database refuses
// writes itself: SQLite is opened read-only with query_only set, and
// PostgreSQL queries run in a READ ONLY transaction (open.go) as a role
// that is not a superuser (whom such a transaction does not stop from
// writing server files). Either refusal fails the job with InvalidJob.
// Every job's transaction is rolled back, never committed. The result is capped at
// MaxResultBytes (ResultTooLarge), and the job's context cancels the query.
package sqljob

import (
	"context"
	"database/sql"
	"encoding/json"
	"io"

	"github.com/stepwire/stepwire/internal/jobwire"
	"github.com/stepwire/stepwire/worker"
)

// The failure names of the sql job, besides worker.FailureInvalidInput
// (the input is not {"query": ..., "args": [...]}) and
// worker.FailureInvalidJob (the query is not a read).
const (
	FailureNotConfigured  = "DatabaseNotConfigured" // the worker has no database (--database, DATABASE_URL)
	FailureUnavailable    = "DatabaseUnavailable"   // the database cannot be reached, opened or used safely (a privileged role)
	FailureQueryFailed    = "QueryFailed"           // the database refused the query, e.g. a syntax error
	FailureResultTooLarge = "ResultTooLarge"        // the result passed MaxResultBytes
)

// MaxResultBytes caps the JSON result: Step Functions' limit on a task's
// output (262,144 bytes).
const MaxResultBytes = 262_144

// JobType is the jobType that routes a job to the sql job.
const JobType = "sql"

// Job runs sql jobs against one connection pool. Create it with Open; it is
// safe for concurrent use.
type Job struct {
	db      *sql.DB
	dialect dialect
	limit   int // result cap in bytes
}

// Handle runs one sql job.
func (j *Job) Handle(ctx context.Context, job jobwire.Job) (json.RawMessage, error) {
	in, err := parseInput(job.Input)
	if err != nil {
		return nil, err
	}
	if err := checkReadOnly(in.query, j.dialect); err != nil {
		return nil, &worker.JobError{Name: worker.FailureInvalidJob, Cause: "sql: " + err.Error()}
	}
	return j.run(ctx, in.query, in.args)
}

// run runs q, read-only, and encodes its rows. It trusts q to be a read
// only as far as the database enforces it: Handle checks q first.
// A query whose rows are left unread (the result is too large) is
// cancelled, so that the database stops producing them.
func (j *Job) run(ctx context.Context, q string, args []any) (json.RawMessage, error) {
	qctx, stop := context.WithCancel(ctx)
	defer stop()
	tx, err := j.db.BeginTx(qctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, j.failure(ctx, err)
	}
	defer func() { _ = tx.Rollback() }()
	rows, err := tx.QueryContext(qctx, q, args...)
	if err != nil {
		return nil, j.failure(ctx, err)
	}
	defer func() { _ = rows.Close() }()
	out, err := encodeRows(rows, j.limit)
	if err != nil {
		stop()
		return nil, j.failure(ctx, err)
	}
	return out, nil
}

// Close closes the pool, waiting for running queries to end.
func (j *Job) Close() error { return j.db.Close() }

// NotConfigured is the sql job of a worker without a database: every job
// fails with DatabaseNotConfigured.
func NotConfigured(context.Context, jobwire.Job) (json.RawMessage, error) {
	return nil, &worker.JobError{Name: FailureNotConfigured,
		Cause: "the worker has no database for sql jobs; start it with --database DSN or DATABASE_URL"}
}

// Register routes jobs of type "sql" in r: to a Job on dsn, with at most
// maxConns connections (0: worker.DefaultMaxConcurrent), or, when dsn is
// empty, to NotConfigured, so that a sql job gets a clear failure rather
// than UnknownJobType. Close the returned closer when the worker stops.
func Register(r *worker.Registry, dsn string, maxConns int) (io.Closer, error) {
	if dsn == "" {
		r.Register(JobType, worker.HandlerFunc(NotConfigured))
		return nopCloser{}, nil
	}
	j, err := Open(dsn, maxConns)
	if err != nil {
		return nil, err
	}
	r.Register(JobType, j)
	return j, nil
}

type nopCloser struct{}

func (nopCloser) Close() error { return nil }
