// Package pgtest starts a throwaway PostgreSQL server for a test: a cluster
// made by initdb in the test's temporary directory, listening on a free
// loopback port with trust authentication, stopped at cleanup. It needs the
// PostgreSQL server binaries (Debian and Ubuntu package postgresql; `make
// tools` installs it) and skips the test without them. PostgreSQL refuses to
// run as root, so as root it runs the server as the postgres user (or
// nobody) through runuser.
package pgtest

import (
	"bytes"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"testing"
)

// binGlob is where Debian and Ubuntu install the server binaries.
const binGlob = "/usr/lib/postgresql/*/bin"

// Start starts a server and returns the DSN of its postgres database as the
// postgres superuser.
func Start(t testing.TB) string {
	t.Helper()
	bin := binDir(t)
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	logFile := filepath.Join(dir, "log", "postgres.log")
	as := runAs(t, dir, data, filepath.Dir(logFile))
	port := freePort(t)

	run(t, as, filepath.Join(bin, "initdb"), "-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8",
		"--no-locale", "--no-sync", "--no-instructions")
	opts := fmt.Sprintf("-c listen_addresses=127.0.0.1 -p %d -c unix_socket_directories='' -c fsync=off -c max_connections=40", port)
	pgCtl := filepath.Join(bin, "pg_ctl")
	if err := command(as, pgCtl, "-D", data, "-l", logFile, "-o", opts, "-w", "-t", "60", "start").run(); err != nil {
		log, _ := os.ReadFile(logFile)
		t.Fatalf("pgtest: start postgres: %v\n%s", err, log)
	}
	t.Cleanup(func() {
		if err := command(as, pgCtl, "-D", data, "-m", "immediate", "-w", "stop").run(); err != nil {
			t.Errorf("pgtest: stop postgres: %v", err)
		}
	})
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", port)
}

// binDir finds initdb and pg_ctl: on PATH, else the newest binGlob.
func binDir(t testing.TB) string {
	if p, err := exec.LookPath("initdb"); err == nil {
		if resolved, err := filepath.EvalSymlinks(p); err == nil {
			p = resolved
		}
		if _, err := os.Stat(filepath.Join(filepath.Dir(p), "pg_ctl")); err == nil {
			return filepath.Dir(p)
		}
	}
	dirs, _ := filepath.Glob(binGlob)
	sort.Slice(dirs, func(i, j int) bool { return version(dirs[i]) < version(dirs[j]) })
	for i := len(dirs) - 1; i >= 0; i-- {
		if _, err := os.Stat(filepath.Join(dirs[i], "pg_ctl")); err == nil {
			return dirs[i]
		}
	}
	t.Skip("pgtest: PostgreSQL server binaries (initdb, pg_ctl) not found; install the postgresql package (make tools)")
	return ""
}

// version is the major version in a binGlob path.
func version(dir string) int {
	n, _ := strconv.Atoi(filepath.Base(filepath.Dir(dir)))
	return n
}

// runAs returns the user to run the server as: "" (this user) unless this
// is root. For another user it makes dir traversable and hands it the
// directories the server writes.
func runAs(t testing.TB, dir string, owned ...string) string {
	if os.Geteuid() != 0 {
		return ""
	}
	if _, err := exec.LookPath("runuser"); err != nil {
		t.Skip("pgtest: running as root without runuser (package util-linux); PostgreSQL refuses to run as root")
	}
	var u *user.User
	var err error
	for _, name := range []string{"postgres", "nobody"} {
		if u, err = user.Lookup(name); err == nil {
			break
		}
	}
	if err != nil {
		t.Skip("pgtest: running as root and neither a postgres nor a nobody user exists; PostgreSQL refuses to run as root")
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	// t.TempDir's directories are private to root: let the user through.
	for _, d := range []string{filepath.Dir(dir), dir} {
		if err := os.Chmod(d, 0o711); err != nil {
			t.Fatalf("pgtest: %v", err)
		}
	}
	for _, d := range owned {
		if err := os.MkdirAll(d, 0o700); err != nil {
			t.Fatalf("pgtest: %v", err)
		}
		if err := os.Chown(d, uid, gid); err != nil {
			t.Fatalf("pgtest: %v", err)
		}
	}
	return u.Username
}

// freePort returns a loopback port that was free a moment ago.
func freePort(t testing.TB) int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	defer func() { _ = l.Close() }()
	return l.Addr().(*net.TCPAddr).Port
}

// cmd is a command whose output is kept for its error.
type cmd struct {
	c   *exec.Cmd
	out bytes.Buffer
}

// command runs name as user as (this user when as is empty).
func command(as, name string, args ...string) *cmd {
	if as != "" {
		args = append([]string{"-u", as, "--", name}, args...)
		name = "runuser"
	}
	c := &cmd{c: exec.Command(name, args...)}
	c.c.Dir = os.TempDir() // a directory the server's user may enter
	c.c.Stdout, c.c.Stderr = &c.out, &c.out
	return c
}

func (c *cmd) run() error {
	if err := c.c.Run(); err != nil {
		return fmt.Errorf("%s: %w\n%s", c.c.String(), err, c.out.String())
	}
	return nil
}

func run(t testing.TB, as, name string, args ...string) {
	t.Helper()
	if err := command(as, name, args...).run(); err != nil {
		t.Fatalf("pgtest: %v", err)
	}
}
