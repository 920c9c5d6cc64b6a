package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"iter"
	"math"
	"time"

	"labcarbon/store"
)

// PutIntensity upserts hourly grid intensities in one transaction; see
// store.Store. Each hour is looked up before it is written, so that an hour
// stored exactly so keeps the run that first wrote it and is counted as
// unchanged.
func (db *DB) PutIntensity(ctx context.Context, runID int64, points iter.Seq2[store.IntensityPoint, error]) (ch store.IntensityChanges, err error) {
	if err := db.writable(); err != nil {
		return ch, fmt.Errorf("store intensity for run %d: %w", runID, err)
	}
	tx, err := db.db.BeginTx(ctx, nil)
	if err != nil {
		return ch, fmt.Errorf("store intensity for run %d: %w", runID, err)
	}
	defer func() {
		if err != nil {
			// database/sql has rolled back already if ctx was cancelled.
			if rerr := tx.Rollback(); rerr != nil && !errors.Is(rerr, sql.ErrTxDone) {
				err = errors.Join(err, fmt.Errorf("roll back intensity of run %d: %w", runID, rerr))
			}
			ch = store.IntensityChanges{}
		}
	}()
	w, err := prepareIntensity(ctx, tx, runID)
	if err != nil {
		return ch, fmt.Errorf("store intensity for run %d: %w", runID, err)
	}
	for p, perr := range points {
		if perr != nil {
			return ch, perr
		}
		// As in batch.Put: checking ctx here is cheaper than a watcher
		// goroutine per statement, and stops as surely.
		if err := ctx.Err(); err != nil {
			return ch, fmt.Errorf("store intensity %s %s: %w", p.Zone, p.Hour.UTC().Format(time.RFC3339), err)
		}
		if err := w.put(&ch, p); err != nil {
			return ch, fmt.Errorf("store intensity %s %s: %w", p.Zone, p.Hour.UTC().Format(time.RFC3339), err)
		}
	}
	if err := tx.Commit(); err != nil {
		return ch, fmt.Errorf("commit intensity of run %d: %w", runID, err)
	}
	return ch, nil
}

// intensityWriter holds PutIntensity's statements, prepared once per
// transaction.
type intensityWriter struct {
	ctx                    context.Context // without cancellation: see PutIntensity
	runID, now             int64
	lookup, insert, update *sql.Stmt
}

func prepareIntensity(ctx context.Context, tx *sql.Tx, runID int64) (*intensityWriter, error) {
	// Checked here so that a wrong id is reported as such, not as a foreign
	// key failure at the first hour.
	var known bool
	if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM runs WHERE id = ?)`, runID).Scan(&known); err != nil {
		return nil, err
	}
	if !known {
		return nil, fmt.Errorf("no run %d", runID)
	}
	w := &intensityWriter{ctx: context.WithoutCancel(ctx), runID: runID, now: time.Now().Unix()}
	for _, s := range []struct {
		stmt **sql.Stmt
		sql  string
	}{
		{&w.lookup, `SELECT g_per_kwh, source FROM intensity WHERE zone = ? AND hour = ?`},
		{&w.insert, `INSERT INTO intensity (zone, hour, g_per_kwh, source, run_id, imported) VALUES (?, ?, ?, ?, ?, ?)`},
		{&w.update, `UPDATE intensity SET g_per_kwh = ?, source = ?, run_id = ?, imported = ? WHERE zone = ? AND hour = ?`},
	} {
		var err error
		if *s.stmt, err = tx.PrepareContext(ctx, s.sql); err != nil {
			return nil, fmt.Errorf("prepare %q: %w", s.sql, err)
		}
	}
	return w, nil
}

// put writes one hour and counts what it did in ch.
func (w *intensityWriter) put(ch *store.IntensityChanges, p store.IntensityPoint) error {
	switch {
	case p.Zone == "":
		return errors.New("no zone")
	case !p.Hour.Truncate(time.Hour).Equal(p.Hour):
		return errors.New("not the beginning of an hour")
	case p.GPerKWh < 0 || math.IsNaN(p.GPerKWh) || math.IsInf(p.GPerKWh, 0):
		return fmt.Errorf("intensity %g is not a non-negative number", p.GPerKWh)
	}
	hour := p.Hour.Unix()
	var (
		value  float64
		source string
	)
	switch err := w.lookup.QueryRowContext(w.ctx, p.Zone, hour).Scan(&value, &source); {
	case errors.Is(err, sql.ErrNoRows):
		if _, err := w.insert.ExecContext(w.ctx, p.Zone, hour, p.GPerKWh, p.Source, w.runID, w.now); err != nil {
			return err
		}
		ch.Added++
	case err != nil:
		return err
	case value == p.GPerKWh && source == p.Source:
		ch.Unchanged++
	default:
		if _, err := w.update.ExecContext(w.ctx, p.GPerKWh, p.Source, w.runID, w.now, p.Zone, hour); err != nil {
			return err
		}
		ch.Changed++
	}
	return nil
}

// selectIntensity returns a zone's hours beginning in an open interval.
const selectIntensity = `SELECT hour, g_per_kwh, source FROM intensity WHERE zone = ? AND hour > ? AND hour < ? ORDER BY hour`

// Intensity returns the stored hours of zone that overlap [from, to),
// ordered by hour. The primary key (zone, hour) serves the range directly.
func (db *DB) Intensity(ctx context.Context, zone string, from, to time.Time) ([]store.IntensityPoint, error) {
	if !from.Before(to) {
		return nil, nil
	}
	// An hour beginning at h covers [h, h+1h): it overlaps [from, to) when
	// h > from−1h and h < to.
	rows, err := db.db.QueryContext(ctx, selectIntensity, zone, from.Add(-time.Hour).Unix(), ceilUnix(to))
	if err != nil {
		return nil, fmt.Errorf("query intensity of %s: %w", zone, err)
	}
	defer rows.Close()
	var out []store.IntensityPoint
	for rows.Next() {
		p := store.IntensityPoint{Zone: zone}
		var hour int64
		if err := rows.Scan(&hour, &p.GPerKWh, &p.Source); err != nil {
			return nil, fmt.Errorf("read intensity of %s: %w", zone, err)
		}
		p.Hour = timeOf(hour)
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("query intensity of %s: %w", zone, err)
	}
	return out, nil
}

// ceilUnix is t in unix seconds, rounded up, so that an hour beginning
// within t's last fraction of a second still counts as before t.
func ceilUnix(t time.Time) int64 {
	s := t.Unix()
	if t.Nanosecond() > 0 {
		s++
	}
	return s
}
