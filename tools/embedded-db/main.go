// Command embedded-db runs FerretDB (MongoDB wire protocol on SQLite) for Syncdeck's
// development, demo and test setups. It listens on a Unix domain socket only (mode 0600,
// so only the user it runs as can connect; no TCP port), keeps its data in the directory
// given by -data (mode 0700, files 0600), prints one JSON line {"uri": "..."} on stdout
// once it accepts connections, and exits when its standard input closes (its parent died
// or let go of it) or on SIGINT/SIGTERM.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	dataDir := flag.String("data", "data/ferretdb", "directory that holds the SQLite databases")
	socket := flag.String("socket", "", "path of the Unix domain socket to listen on (default: embedded-db.sock in -data)")
	logLevel := flag.String("log-level", "warn", "log level: debug, info, warn or error")
	flag.Parse()

	// Everything this process creates (database files, the socket) is for its own user only.
	syscall.Umask(0o077)

	if err := run(*dataDir, *socket, *logLevel); err != nil {
		fmt.Fprintf(os.Stderr, "embedded-db: %v\n", err)
		os.Exit(1)
	}
}

func run(dataDir, socket, logLevel string) error {
	var level slog.Level
	if err := level.UnmarshalText([]byte(logLevel)); err != nil {
		return fmt.Errorf("-log-level: %w", err)
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))

	abs, err := filepath.Abs(dataDir)
	if err != nil {
		return fmt.Errorf("-data: %w", err)
	}
	if err := os.MkdirAll(abs, 0o700); err != nil {
		return fmt.Errorf("-data: cannot create %s: %w", abs, err)
	}
	// A directory made by an earlier version (or by hand) may be readable by others; the files in it hold the users.
	if err := os.Chmod(abs, 0o700); err != nil {
		return fmt.Errorf("-data: %w", err)
	}
	if socket == "" {
		socket = filepath.Join(abs, "embedded-db.sock")
	}
	if socket, err = filepath.Abs(socket); err != nil {
		return fmt.Errorf("-socket: %w", err)
	}
	if err := clearStaleSocket(socket); err != nil {
		return err
	}

	f, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{Unix: socket},
		Logger:    logger,
		Handler:   "sqlite",
		SQLiteURL: "file:" + abs + "/",
	})
	if err != nil {
		return err
	}

	// Signals meant for Syncdeck (a terminal's Ctrl-C, a service manager's SIGTERM to the whole group) must not stop
	// the database under its drain: the helper ends only when Syncdeck closes its stdin, which it does last, or dies.
	signal.Ignore(os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()

	// The parent holds our stdin open; EOF means it is done with us, or gone, and so must we be.
	go func() {
		_, _ = io.Copy(io.Discard, os.Stdin)
		cancel()
	}()

	done := make(chan error, 1)
	go func() { done <- f.Run(ctx) }()

	if err := waitListening(ctx, socket); err != nil {
		return err
	}
	defer os.Remove(socket)
	// The umask already made it 0600; say so explicitly, it is the only thing between other users and the data.
	if err := os.Chmod(socket, 0o600); err != nil {
		return fmt.Errorf("-socket: %w", err)
	}
	// The path goes in the host part, percent-encoded, as MongoDB drivers and mongosh expect it.
	uri := "mongodb://" + url.PathEscape(socket) + "/"

	// Existing collections get their _id lookup index before anyone connects; new ones within a second.
	indexes := newIDIndexKeeper(abs, logger)
	indexes.pass(ctx)
	go indexes.keep(ctx, time.Second)
	line, _ := json.Marshal(map[string]string{"uri": uri, "socket": socket, "dataDir": abs})
	fmt.Println(string(line))

	select {
	case err := <-done:
		if err != nil && ctx.Err() == nil {
			return err
		}
	case <-ctx.Done():
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			return fmt.Errorf("shutdown took longer than 10s")
		}
	}
	return nil
}

// clearStaleSocket removes a socket file left by a helper that was killed, and refuses to start when a live
// process still accepts connections on it (two helpers must never open the same data directory).
func clearStaleSocket(socket string) error {
	if err := os.MkdirAll(filepath.Dir(socket), 0o700); err != nil {
		return fmt.Errorf("-socket: %w", err)
	}
	info, err := os.Lstat(socket)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("-socket: %w", err)
	}
	if info.Mode().Type() != os.ModeSocket {
		return fmt.Errorf("-socket: %s exists and is not a socket", socket)
	}
	if conn, err := net.DialTimeout("unix", socket, 500*time.Millisecond); err == nil {
		conn.Close()
		return fmt.Errorf("-socket: another process already listens on %s", socket)
	}
	if err := os.Remove(socket); err != nil {
		return fmt.Errorf("-socket: cannot remove the stale socket: %w", err)
	}
	return nil
}

// waitListening dials the socket until it accepts a connection.
func waitListening(ctx context.Context, socket string) error {
	for ctx.Err() == nil {
		conn, err := net.DialTimeout("unix", socket, 200*time.Millisecond)
		if err == nil {
			conn.Close()
			return nil
		}
		time.Sleep(20 * time.Millisecond)
	}
	return ctx.Err()
}
