package sqljob

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgconn/ctxwatch"
	"github.com/jackc/pgx/v5/stdlib"
	_ "modernc.org/sqlite" // registers the "sqlite" driver

	"github.com/stepwire/stepwire/worker"
)

// Connection timing. cancelDeadline bounds how long a cancelled PostgreSQL
// query may take to stop once the server was asked to cancel it, before the
// connection is dropped; it waits on the network, so it is on the wall
// clock.
const (
	cancelDeadline = 2 * time.Second
	maxIdleTime    = 5 * time.Minute
	openTimeout    = 10 * time.Second
)

// Open opens the pool of sql jobs on dsn: "postgres://..." or
// "postgresql://..." is PostgreSQL; anything else is a SQLite file path or
// "file:" URI. The pool holds at most maxConns connections (0:
// worker.DefaultMaxConcurrent, the worker's default concurrency). A SQLite
// database must exist (it is opened, read-only, at once, so a wrong path
// fails here); a PostgreSQL server is first reached by the first job.
func Open(dsn string, maxConns int) (*Job, error) {
	if maxConns <= 0 {
		maxConns = worker.DefaultMaxConcurrent
	}
	j := &Job{limit: MaxResultBytes}
	var err error
	if isPostgres(dsn) {
		j.dialect = postgres
		j.db, err = openPostgres(dsn)
	} else {
		j.dialect = sqlite
		j.db, err = openSQLite(dsn)
	}
	if err != nil {
		return nil, err
	}
	j.db.SetMaxOpenConns(maxConns)
	j.db.SetMaxIdleConns(maxConns)
	j.db.SetConnMaxIdleTime(maxIdleTime)
	if j.dialect == sqlite {
		ctx, cancel := context.WithTimeout(context.Background(), openTimeout)
		defer cancel()
		if err := j.db.PingContext(ctx); err != nil {
			_ = j.db.Close()
			return nil, fmt.Errorf("sql job: open SQLite database %s: %w", dsn, err)
		}
	}
	return j, nil
}

func isPostgres(dsn string) bool {
	d := strings.ToLower(dsn)
	return strings.HasPrefix(d, "postgres://") || strings.HasPrefix(d, "postgresql://")
}

// openPostgres opens a pgx pool whose cancelled queries are cancelled on
// the server (a cancel request), not only abandoned by the client, and
// whose connections refuse a privileged role (checkRole).
func openPostgres(dsn string) (*sql.DB, error) {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("sql job: PostgreSQL DSN: %w", err)
	}
	cfg.BuildContextWatcherHandler = func(c *pgconn.PgConn) ctxwatch.Handler {
		return &pgconn.CancelRequestContextWatcherHandler{Conn: c, DeadlineDelay: cancelDeadline}
	}
	return stdlib.OpenDB(*cfg, stdlib.OptionAfterConnect(checkRole)), nil
}

// privilegedRoleError is a connection as a role that a READ ONLY
// transaction does not confine: a superuser, or a member of
// pg_write_server_files or pg_execute_server_program, may write files on
// the server from a read-only query (SELECT lo_export(...)).
type privilegedRoleError struct{ role string }

func (e *privilegedRoleError) Error() string {
	return fmt.Sprintf("PostgreSQL role %q is a superuser or may write server files or run server programs, "+
		"which a READ ONLY transaction does not prevent; connect as a role with only the privileges sql jobs need "+
		"(e.g. CREATE ROLE reader LOGIN; GRANT SELECT ON ... TO reader)", e.role)
}

// checkRole refuses a connection as a privileged role.
func checkRole(ctx context.Context, c *pgx.Conn) error {
	var role string
	var privileged bool
	err := c.QueryRow(ctx, `SELECT current_user, rolsuper
		OR pg_has_role(current_user, 'pg_write_server_files', 'MEMBER')
		OR pg_has_role(current_user, 'pg_execute_server_program', 'MEMBER')
		FROM pg_roles WHERE rolname = current_user`).Scan(&role, &privileged)
	if err != nil {
		return fmt.Errorf("sql job: check the PostgreSQL role: %w", err)
	}
	if privileged {
		return &privilegedRoleError{role: role}
	}
	return nil
}

// openSQLite opens path, or a file: URI, read-only (mode=ro: every write
// fails with SQLITE_READONLY, and a missing file is not created) and with
// PRAGMA query_only on each connection.
func openSQLite(dsn string) (*sql.DB, error) {
	name, err := sqliteURI(dsn)
	if err != nil {
		return nil, err
	}
	db, err := sql.Open("sqlite", name)
	if err != nil {
		return nil, fmt.Errorf("sql job: open SQLite database %s: %w", dsn, err)
	}
	return db, nil
}

// sqliteURI turns a path or file: URI into a file: URI that opens the
// database read-only, overriding any mode or _query_only in dsn.
func sqliteURI(dsn string) (string, error) {
	base, query := "file:"+escapePath(dsn), ""
	if strings.HasPrefix(dsn, "file:") {
		base, query, _ = strings.Cut(dsn, "?")
	}
	q, err := url.ParseQuery(query)
	if err != nil {
		return "", fmt.Errorf("sql job: SQLite URI %s: %w", dsn, err)
	}
	q.Set("mode", "ro")
	q.Set("_query_only", "1")
	return base + "?" + q.Encode(), nil
}

// escapePath escapes the bytes a SQLite URI gives meaning to.
func escapePath(p string) string {
	return strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(p)
}
