// Command embedded-db runs FerretDB (MongoDB wire protocol on SQLite) for Syncdeck's
// development, demo and test setups. It listens on 127.0.0.1 only, keeps its data in
// the directory given by -data, prints one JSON line {"uri": "..."} on stdout once it
// accepts connections, and exits when its standard input closes (its parent died or
// let go of it) or on SIGINT/SIGTERM.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"syscall"
	"time"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	dataDir := flag.String("data", "data/ferretdb", "directory that holds the SQLite databases")
	port := flag.Int("port", 0, "TCP port on 127.0.0.1 (0 picks a free one)")
	logLevel := flag.String("log-level", "warn", "log level: debug, info, warn or error")
	flag.Parse()

	if err := run(*dataDir, *port, *logLevel); err != nil {
		fmt.Fprintf(os.Stderr, "embedded-db: %v\n", err)
		os.Exit(1)
	}
}

func run(dataDir string, port int, logLevel string) error {
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

	f, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{TCP: net.JoinHostPort("127.0.0.1", strconv.Itoa(port))},
		Logger:    logger,
		Handler:   "sqlite",
		SQLiteURL: "file:" + abs + "/",
	})
	if err != nil {
		return err
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	// The parent holds our stdin open; EOF means it is gone and so must we be.
	go func() {
		_, _ = io.Copy(io.Discard, os.Stdin)
		cancel()
	}()

	done := make(chan error, 1)
	go func() { done <- f.Run(ctx) }()

	uri := f.MongoDBURI()
	if err := waitListening(ctx, uri); err != nil {
		return err
	}

	// Existing collections get their _id lookup index before anyone connects; new ones within a second.
	indexes := newIDIndexKeeper(abs, logger)
	indexes.pass(ctx)
	go indexes.keep(ctx, time.Second)
	line, _ := json.Marshal(map[string]string{"uri": uri, "dataDir": abs})
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

// waitListening dials the listener until it accepts a TCP connection.
func waitListening(ctx context.Context, uri string) error {
	host := uri[len("mongodb://"):]
	for i := 0; i < len(host); i++ {
		if host[i] == '/' {
			host = host[:i]
			break
		}
	}
	for ctx.Err() == nil {
		conn, err := net.DialTimeout("tcp", host, 200*time.Millisecond)
		if err == nil {
			conn.Close()
			return nil
		}
		time.Sleep(20 * time.Millisecond)
	}
	return ctx.Err()
}
