package pipeline

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"os"
	"path/filepath"

	"labcarbon/ingest"
	"labcarbon/ingest/intensity"
	"labcarbon/store"
)

// IntensityImport is what importing an hourly series did.
type IntensityImport struct {
	Summary *Summary
	Changes store.IntensityChanges
	// Series is the reader after the import: its format, column and the
	// coverage of each zone.
	Series *intensity.Reader
	// Estimated counts, by zone, the hours the source marks as estimated.
	Estimated map[string]int
	// Bad holds the first bad rows, for the command to show; all of them
	// are in the store's quarantine, and BadRows counts them.
	Bad     []ingest.RowError
	BadRows int
}

// maxBadKept is how many bad rows an import keeps in memory to show.
const maxBadKept = 20

// ErrNoZone is returned for a series without a zone column when no zone was
// given.
var ErrNoZone = intensity.ErrNoZone

// ZoneID returns the catalog's id of a grid zone named as a lab or a file
// may name it (GB, Great Britain, US-CAL-CISO, ...).
func (p *Pipeline) ZoneID(name string) (string, error) {
	z, ok := p.catalog.Zone(name)
	if !ok {
		return "", fmt.Errorf("zone %q is not in the factor catalog", name)
	}
	return z.ID, nil
}

// ImportIntensity reads an hourly grid intensity series (an Electricity Maps
// export or a plain timestamp,gco2_per_kwh file) into the store and records
// the run. The hours are stored in one transaction; bad rows are skipped,
// quarantined with file, line and reason, and counted. A file that is not
// such a series is rejected before anything is recorded. Hourly figures
// reach jobs ingested from then on; Restate applies them to jobs stored
// before.
func (p *Pipeline) ImportIntensity(ctx context.Context, path string, opts intensity.Options) (*IntensityImport, error) {
	series, err := p.openSeries(path, opts)
	if err != nil {
		return nil, err
	}
	defer series.Close()
	imp := &IntensityImport{}
	imp.Summary, err = p.pass(ctx, "factors import", func(s *Summary) error {
		if err := p.importSeries(ctx, s, series, imp); err != nil {
			return err
		}
		s.Stored = fmt.Sprintf("%d hours of grid intensity from %s (%d new, %d changed)",
			imp.Changes.Added+imp.Changes.Changed+imp.Changes.Unchanged, filepath.Base(path), imp.Changes.Added, imp.Changes.Changed)
		return nil
	})
	return imp, err
}

// series is an hourly intensity file opened for import, its header read.
type series struct {
	path   string
	opts   intensity.Options
	f      *os.File
	hash   hash.Hash
	raw    io.Reader // the file, through hash
	r      *intensity.Reader
	source string // what each stored hour says it came from
}

func (s *series) Close() error { return s.f.Close() }

// openSeries opens path and reads its header, so that a file that is not a
// series is rejected before any run begins and leaves no trace.
func (p *Pipeline) openSeries(path string, opts intensity.Options) (*series, error) {
	opts.ZoneID = p.ZoneID
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("import: %w", err)
	}
	s := &series{path: path, opts: opts, f: f, hash: sha256.New()}
	s.raw = io.TeeReader(f, s.hash)
	if s.r, err = intensity.NewReader(s.raw, path, opts); err != nil {
		f.Close()
		return nil, err
	}
	s.source = fmt.Sprintf("hourly CSV %s", filepath.Base(path))
	if s.r.Format() == intensity.FormatElectricityMaps {
		s.source = fmt.Sprintf("Electricity Maps hourly, %s, %s", s.r.Basis().Label(), filepath.Base(path))
	}
	return s, nil
}

// importSeries stores the hours of an opened series for run s, in one
// transaction, and its bad rows and input record in another, filling imp.
func (p *Pipeline) importSeries(ctx context.Context, s *Summary, ser *series, imp *IntensityImport) error {
	r := ser.r
	imp.Series, imp.Estimated = r, map[string]int{}
	points := func(yield func(store.IntensityPoint, error) bool) {
		for r.Scan() {
			pt, bad := r.Point()
			if bad != nil {
				if imp.BadRows++; len(imp.Bad) < maxBadKept {
					imp.Bad = append(imp.Bad, *bad)
				}
				continue
			}
			if pt.Estimated {
				imp.Estimated[pt.Zone]++
			}
			if !yield(store.IntensityPoint{Zone: pt.Zone, Hour: pt.Hour, GPerKWh: pt.GPerKWh, Source: ser.source}, nil) {
				return
			}
		}
		if err := r.Err(); err != nil {
			yield(store.IntensityPoint{}, fmt.Errorf("%w (nothing of it was stored)", err))
		}
	}
	ch, err := p.store.PutIntensity(ctx, s.RunID, points)
	if err != nil {
		return err
	}
	imp.Changes = ch
	if _, err := io.Copy(io.Discard, ser.raw); err != nil {
		return fmt.Errorf("import %s: %w", ser.path, err)
	}
	in := store.Input{Name: ser.path, SHA256: hex.EncodeToString(ser.hash.Sum(nil)), Format: "intensity-" + string(r.Format()), Bad: imp.BadRows}
	if hours := ch.Added + ch.Changed + ch.Unchanged; hours == 0 {
		if imp.BadRows == 0 {
			return fmt.Errorf("import %s: the file has a header but no hours", ser.path)
		}
		return fmt.Errorf("import %s: no hour could be imported (%d bad rows)", ser.path, imp.BadRows)
	}
	if err := p.quarantineSeries(ctx, s, ser.path, ser.opts, in); err != nil {
		return err
	}
	s.add(in)
	return nil
}

// quarantineSeries reads the series at path a second time for its bad rows
// and stores them, with the input's record, in one batch: reading twice
// keeps memory independent of how many rows are bad.
func (p *Pipeline) quarantineSeries(ctx context.Context, s *Summary, path string, opts intensity.Options, in store.Input) error {
	batch, err := p.store.BeginBatch(ctx, s.RunID)
	if err != nil {
		return fmt.Errorf("quarantine bad rows of %s: %w", path, err)
	}
	err = func() error {
		if in.Bad == 0 {
			return nil
		}
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		h := sha256.New()
		raw := io.TeeReader(f, h)
		r, err := intensity.NewReader(raw, path, opts)
		if err != nil {
			return err
		}
		var tally quarantineTally
		for r.Scan() {
			if _, bad := r.Point(); bad != nil {
				tally.add(bad)
				if err := batch.Quarantine(bad); err != nil {
					return err
				}
			}
		}
		if err := r.Err(); err != nil {
			return err
		}
		if _, err := io.Copy(io.Discard, raw); err != nil {
			return err
		}
		if got := hex.EncodeToString(h.Sum(nil)); got != in.SHA256 {
			return errors.New("the file changed while it was imported")
		}
		s.Quarantine = tally.mergeInto(s.Quarantine)
		return nil
	}()
	if err != nil {
		batch.Rollback()
		return fmt.Errorf("quarantine bad rows of %s: %w", path, err)
	}
	return batch.Commit(in)
}

// importSiteSeries imports the hourly series the config names for its
// sites, as part of run s, and reloads the model's hourly table when they
// brought new or changed hours, so the jobs ingested next use them. Files
// already imported change nothing and cost a read.
func (p *Pipeline) importSiteSeries(ctx context.Context, s *Summary) error {
	changed := false
	for _, site := range p.cfg.Sites {
		for _, pattern := range site.HourlyIntensity {
			paths, err := filepath.Glob(pattern)
			if err != nil || len(paths) == 0 {
				return fmt.Errorf("config %s: site %s: hourly_intensity: nothing matches %s", p.cfg.File, site.Name, pattern)
			}
			for _, path := range paths {
				ser, err := p.openSeries(path, intensity.Options{Zone: site.Zone})
				if err != nil {
					return err
				}
				imp := &IntensityImport{}
				err = p.importSeries(ctx, s, ser, imp)
				ser.Close()
				if err != nil {
					return err
				}
				changed = changed || imp.Changes.Added+imp.Changes.Changed > 0
				p.log.Info("imported hourly grid intensity", "file", path, "new", imp.Changes.Added, "changed", imp.Changes.Changed, "bad", imp.BadRows)
			}
		}
	}
	if !changed {
		return nil
	}
	hourly, err := loadHourly(ctx, p.store, p.catalog, p.cfg.LabValues(), p.log)
	if err != nil {
		return err
	}
	p.model.Hourly = hourly
	return nil
}
