package pgtest

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"
)

// Start gives a server that answers queries.
func TestStart(t *testing.T) {
	dsn := Start(t)
	conn, err := pgx.Connect(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = conn.Close(context.Background()) }()
	var v int
	if err := conn.QueryRow(context.Background(), "SELECT 6 * 7").Scan(&v); err != nil || v != 42 {
		t.Fatalf("SELECT 6 * 7 = %d, %v", v, err)
	}
}
