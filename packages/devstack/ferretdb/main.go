// Command ferretdb runs FerretDB 1.x with the PostgreSQL handler for local
// development and tests. devstack builds it against FerretDB's module with
// patches/conecta.patch applied (lookups and sorts served by btree indexes, updates that do
// not deadlock the pool), and starts the PostgreSQL server it talks to. It embeds
// github.com/FerretDB/FerretDB/ferretdb rather than building FerretDB's own cmd/ferretdb, whose binary panics when built from
// the module zip (build/version/version.txt is not in it; FerretDB issue 2982).
// The embeddable package skips that check and disables telemetry itself.
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	listenAddr := flag.String("listen-addr", "127.0.0.1:27017", "TCP address to listen on")
	postgresqlURL := flag.String("postgresql-url", "postgres://127.0.0.1:5432/ferretdb", "PostgreSQL URL of the database FerretDB keeps every MongoDB database in")
	// Warn by default: at info FerretDB logs every connection, which floods the
	// log during test runs.
	logLevel := flag.String("log-level", "warn", "debug, info, warn or error")
	flag.Parse()

	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		fmt.Fprintln(os.Stderr, "ferretdb: bad -log-level:", err)
		os.Exit(2)
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))

	f, err := ferretdb.New(&ferretdb.Config{
		Listener:      ferretdb.ListenerConfig{TCP: *listenAddr},
		Logger:        logger,
		Handler:       "postgresql",
		PostgreSQLURL: *postgresqlURL,
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, "ferretdb:", err)
		os.Exit(1)
	}

	// SIGTERM (devstack down) and SIGINT stop the listener and close the pool cleanly.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	// Printed whatever the level, so the log always shows where it listens.
	fmt.Fprintf(os.Stderr, "ferretdb %s: listening on %s, data in %s\n", "v1.24.2", *listenAddr, *postgresqlURL)
	if err := f.Run(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "ferretdb:", err)
		os.Exit(1)
	}
}
