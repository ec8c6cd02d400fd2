package sqljob

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5/pgconn"
	sqlitedrv "modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/stepwire/stepwire/worker"
)

// pgReadOnlyTransaction is PostgreSQL's SQLSTATE read_only_sql_transaction:
// a write in a READ ONLY transaction.
const pgReadOnlyTransaction = "25006"

// failure names the failure of a query that returned err. A JobError passes
// through; a query stopped by the job's context returns a plain error, which
// the worker reports as the cancellation (JobCancelled or
// Worker.ShuttingDown).
func (j *Job) failure(ctx context.Context, err error) error {
	var je *worker.JobError
	switch {
	case errors.As(err, &je):
		return err
	case ctx.Err() != nil:
		return fmt.Errorf("sql query stopped: %w", context.Cause(ctx))
	case refusedWrite(err):
		return &worker.JobError{Name: worker.FailureInvalidJob,
			Cause: fmt.Sprintf("sql: the database refused a write (sql jobs only read): %v", err)}
	case unavailable(err):
		return &worker.JobError{Name: FailureUnavailable, Cause: fmt.Sprintf("sql: %s database: %v", j.dialect, err)}
	default:
		return &worker.JobError{Name: FailureQueryFailed, Cause: fmt.Sprintf("sql: %v", err)}
	}
}

// refusedWrite reports whether the database refused err's statement as a
// write: SQLITE_READONLY or SQLITE_AUTH, or PostgreSQL's
// read_only_sql_transaction.
func refusedWrite(err error) bool {
	var se *sqlitedrv.Error
	if errors.As(err, &se) {
		code := se.Code() & 0xff
		return code == sqlite3.SQLITE_READONLY || code == sqlite3.SQLITE_AUTH
	}
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == pgReadOnlyTransaction
}

// unavailable reports whether err is about reaching the database rather
// than about the query: SQLITE_CANTOPEN, a failed PostgreSQL connect, or a
// connection as a privileged role.
func unavailable(err error) bool {
	var se *sqlitedrv.Error
	if errors.As(err, &se) {
		return se.Code()&0xff == sqlite3.SQLITE_CANTOPEN
	}
	var ce *pgconn.ConnectError
	var pe *privilegedRoleError
	return errors.As(err, &ce) || errors.As(err, &pe)
}
