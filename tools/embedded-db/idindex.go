package main

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"path/filepath"
	"strings"
	"time"

	_ "modernc.org/sqlite"
)

// idLookupExpr is the expression FerretDB's SQLite backend compares when it looks documents up by _id (a find,
// update or delete whose filter is just {_id: <string or ObjectId>}). Its own unique _id index is built on a
// different spelling of the same path (_ferretdb_sjson->"_id"), so SQLite cannot use that index for these lookups
// and reads the whole table for each of them: a run fetched or updated by its id costs a scan of every run.
const idLookupExpr = `_ferretdb_sjson->'$._id'`

// idIndexSuffix names the index Syncdeck adds next to FerretDB's own indexes of a collection table.
const idIndexSuffix = "__syncdeck_id_lookup"

// idIndexKeeper gives every collection table in a data directory an index on idLookupExpr, so lookups by _id are
// index searches. FerretDB does not know about these indexes and does not need to: dropping a collection drops its
// table and with it the index, and SQLite keeps the index up to date on every write.
type idIndexKeeper struct {
	dataDir string
	logger  *slog.Logger
	dbs     map[string]*sql.DB
}

func newIDIndexKeeper(dataDir string, logger *slog.Logger) *idIndexKeeper {
	return &idIndexKeeper{dataDir: dataDir, logger: logger, dbs: map[string]*sql.DB{}}
}

// keep adds missing indexes every interval until ctx ends (tables appear as collections are first written),
// then closes its connections.
func (k *idIndexKeeper) keep(ctx context.Context, interval time.Duration) {
	defer func() {
		for _, db := range k.dbs {
			_ = db.Close()
		}
	}()

	ticker := time.NewTicker(interval)
	defer ticker.Stop()

	for {
		k.pass(ctx)
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
		}
	}
}

// pass adds the missing indexes of every database file once.
func (k *idIndexKeeper) pass(ctx context.Context) {
	files, _ := filepath.Glob(filepath.Join(k.dataDir, "*.sqlite"))
	for _, file := range files {
		db := k.dbs[file]
		if db == nil {
			// The same settings FerretDB uses: wait for its writers instead of failing, WAL journal.
			var err error
			if db, err = sql.Open("sqlite", "file:"+file+"?_pragma=busy_timeout(10000)&_pragma=journal_mode(wal)"); err != nil {
				k.logger.Warn("cannot open database file for _id indexes", "file", file, "err", err)
				continue
			}
			db.SetMaxOpenConns(1)
			k.dbs[file] = db
		}
		if err := addIDIndexes(ctx, db, k.logger); err != nil && ctx.Err() == nil {
			k.logger.Warn("cannot add _id lookup indexes", "file", file, "err", err)
		}
	}
}

// addIDIndexes creates the _id lookup index of every collection table of one database file that lacks it.
func addIDIndexes(ctx context.Context, db *sql.DB, logger *slog.Logger) error {
	var hasCatalog int
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '_ferretdb_collections'`).Scan(&hasCatalog); err != nil {
		return err
	}
	if hasCatalog == 0 {
		return nil
	}

	rows, err := db.QueryContext(ctx, `
		SELECT c.table_name FROM _ferretdb_collections c
		WHERE NOT EXISTS (SELECT 1 FROM sqlite_master m WHERE m.type = 'index' AND m.name = c.table_name || ?)`, idIndexSuffix)
	if err != nil {
		return err
	}
	var tables []string
	for rows.Next() {
		var table string
		if err := rows.Scan(&table); err != nil {
			rows.Close()
			return err
		}
		tables = append(tables, table)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}

	for _, table := range tables {
		q := fmt.Sprintf(`CREATE INDEX IF NOT EXISTS %s ON %s (%s)`, quoteIdent(table+idIndexSuffix), quoteIdent(table), idLookupExpr)
		if _, err := db.ExecContext(ctx, q); err != nil {
			// The collection may have been dropped since it was listed; the next round sees the catalog as it is.
			if strings.Contains(err.Error(), "no such table") {
				continue
			}
			return err
		}
		logger.Debug("added _id lookup index", "table", table)
	}
	return nil
}

func quoteIdent(name string) string {
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
}
