// Package pipeline strings the stages together so that commands stay thin:
// one pass takes the store's writer lock, ingests each input (parse, match
// factors, compute, store in one transaction per input), records the run,
// and writes the reports due.
//
// It is the only package besides cmd that reads the configuration; every
// stage below it receives plain values.
package pipeline

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"text/template"
	"time"

	"labcarbon"
	"labcarbon/compute"
	"labcarbon/config"
	"labcarbon/factors"
	"labcarbon/ingest"
	"labcarbon/ingest/slurm"
	"labcarbon/ingest/source"
	"labcarbon/report"
	"labcarbon/store"
	"labcarbon/store/sqlite"
	"labcarbon/templates"
)

// Pipeline is an open store with the factors and model of one lab.
type Pipeline struct {
	*people
	cfg      *config.Config
	store    store.Store
	catalog  *factors.Catalog
	resolver *factors.Resolver
	model    compute.Model
	// equivalents are the catalog's, as reports take them.
	equivalents []report.Equivalent
	tmpl        *template.Template
	log         *slog.Logger
	now         func() time.Time
	// Progress, when set, is told how far ingest has read each input, for
	// a progress bar on interactive runs.
	Progress func(name string, size int64) io.Writer
}

// Options tune how a pipeline opens.
type Options struct {
	// ReadOnly opens the store without its writer lock, for commands that
	// only report.
	ReadOnly bool
	Log      *slog.Logger
	// Now is the clock; tests fix it.
	Now func() time.Time
}

// Open prepares a pipeline for cfg: the factor catalog resolved against the
// lab, the report templates, and the store.
func Open(ctx context.Context, cfg *config.Config, opts Options) (*Pipeline, error) {
	if opts.Log == nil {
		opts.Log = slog.New(slog.DiscardHandler)
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	cat, err := cfg.Catalog()
	if err != nil {
		return nil, err
	}
	lab := cfg.LabValues()
	res, err := factors.NewResolver(cat, lab)
	if err != nil {
		return nil, fmt.Errorf("config %s: %w: %w", cfg.File, config.ErrInvalid, err)
	}
	tmpl, err := templates.Load(cfg.Reports.Templates)
	if err != nil {
		return nil, fmt.Errorf("config %s: reports.templates: %w: %w", cfg.File, config.ErrInvalid, err)
	}
	pp, err := newPeople(cfg)
	if err != nil {
		return nil, fmt.Errorf("config %s: privacy: %w", cfg.File, err)
	}
	var st store.Store
	if opts.ReadOnly {
		st, err = sqlite.OpenReadOnly(ctx, cfg.Store.Path)
	} else {
		if err := os.MkdirAll(filepath.Dir(cfg.Store.Path), 0o755); err != nil {
			return nil, fmt.Errorf("store directory: %w", err)
		}
		st, err = sqlite.Open(ctx, cfg.Store.Path)
	}
	if err != nil {
		return nil, err
	}
	model := compute.Model{PricePerKWh: lab.PricePerKWh, MemGranularityGB: cfg.Factors.MemoryRequestGranularityGB}
	// Ingest computes with the hourly series; reports re-run the model on
	// changed jobs for their recommendations (time shifting among them).
	if model.Hourly, err = loadHourly(ctx, st, cat, lab, opts.Log); err != nil {
		st.Close()
		return nil, err
	}
	var equivalents []report.Equivalent
	for _, e := range cat.Equivalents() {
		equivalents = append(equivalents, report.Equivalent{Key: e.Key, Name: e.Name, GramsPerUnit: e.Value, Source: e.Source})
	}
	return &Pipeline{
		people: pp, cfg: cfg, store: st, catalog: cat, resolver: res, tmpl: tmpl, log: opts.Log, now: opts.Now,
		model: model, equivalents: equivalents,
	}, nil
}

// loadHourly reads the hourly grid intensity the store has for the lab's
// sites' zones: a few tens of thousands of hours per zone at most, whatever
// the number of jobs. Sites whose intensity the config fixes take none.
func loadHourly(ctx context.Context, st store.Store, cat *factors.Catalog, lab labcarbon.Lab, log *slog.Logger) (compute.HourlySource, error) {
	t := compute.NewHourlyTable()
	seen := map[string]bool{}
	for _, s := range lab.Sites {
		z, ok := cat.Zone(s.Zone)
		if s.CIgPerKWh > 0 || !ok || seen[z.ID] {
			continue
		}
		seen[z.ID] = true
		points, err := st.Intensity(ctx, z.ID, time.Time{}, time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC))
		if err != nil {
			return nil, fmt.Errorf("read hourly grid intensity of %s: %w", z.ID, err)
		}
		for _, pt := range points {
			if err := t.Add(pt.Zone, pt.Hour, pt.GPerKWh); err != nil {
				return nil, fmt.Errorf("hourly grid intensity of %s: %w", z.ID, err)
			}
		}
		if len(points) > 0 {
			log.Debug("hourly grid intensity", "zone", z.ID, "hours", len(points),
				"from", points[0].Hour.Format(time.RFC3339), "to", points[len(points)-1].Hour.Format(time.RFC3339))
		}
	}
	if t.Len() == 0 {
		return nil, nil
	}
	return t, nil
}

// Close releases the store and its lock.
func (p *Pipeline) Close() error { return p.store.Close() }

// Summary is what one pass did, for the log line and the exit status.
type Summary struct {
	RunID       int64
	Inputs      []store.Input
	Jobs        int
	Quarantined int
	// Quarantine counts the quarantined rows by the field at fault, most
	// frequent first, each with its first row as an example.
	Quarantine []QuarantineCount
	Reports    []string
	Periods    []PeriodTotals
	Warnings   []string
	// Stored says what was stored when it was not jobs, for the history.
	Stored string
	// Statements counts the statement files written.
	Statements int
}

// stored says what a pass stored, for the run history.
func (s *Summary) stored() string {
	if s.Stored != "" {
		return s.Stored
	}
	return fmt.Sprintf("%d jobs stored", s.Jobs)
}

// PeriodTotals are the headline figures of a period a pass reported on.
type PeriodTotals struct {
	Period labcarbon.Period
	Totals report.Totals
}

// ErrPartial marks a pass that finished but quarantined some rows; scripts
// see it as its own exit status.
var ErrPartial = errors.New("some input rows were quarantined")

// Run does one pass as `labcarbon run` does: ingest the configured inputs
// (with ingest.live, first what sacct prints for the window since the last
// live ingest), then write the reports of the configured periods. It
// returns ErrPartial (wrapped) when rows were quarantined but everything
// else succeeded.
func (p *Pipeline) Run(ctx context.Context) (*Summary, error) {
	paths, err := p.configuredInputs()
	if err != nil {
		return nil, err
	}
	command := "run"
	var since, until time.Time
	if p.cfg.Ingest.Live {
		command = runLiveCommand
		if since, until, err = p.liveWindow(ctx, time.Time{}, time.Time{}); err != nil {
			return nil, err
		}
	}
	return p.pass(ctx, command, func(s *Summary) error {
		if err := p.importSiteSeries(ctx, s); err != nil {
			return err
		}
		if p.cfg.Ingest.Live {
			if err := p.ingestLive(ctx, s, since, until); err != nil {
				return err
			}
		}
		if err := p.ingestAll(ctx, s, paths, "auto"); err != nil {
			return err
		}
		for _, name := range p.cfg.Reports.Periods {
			period, err := labcarbon.ResolvePeriod(name, p.now())
			if err != nil {
				return err
			}
			files, d, err := p.WriteReports(ctx, period, p.cfg.Reports.Formats, p.cfg.Reports.Out, s.RunID)
			s.Reports = append(s.Reports, files...)
			if d != nil {
				s.Periods = append(s.Periods, PeriodTotals{Period: period, Totals: d.Totals})
			}
			if err != nil {
				return err
			}
			if p.cfg.Reports.Statements {
				files, err := p.WriteStatementsOf(ctx, d, p.cfg.Reports.Out)
				s.Statements += len(files)
				if err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// Ingest reads the given files into the store, as `labcarbon ingest` does.
func (p *Pipeline) Ingest(ctx context.Context, paths []string, format string) (*Summary, error) {
	return p.pass(ctx, "ingest", func(s *Summary) error { return p.ingestAll(ctx, s, paths, format) })
}

// pass records a run around work.
func (p *Pipeline) pass(ctx context.Context, command string, work func(*Summary) error) (*Summary, error) {
	started := p.now().UTC()
	id, err := p.store.BeginRun(ctx, command, started)
	if err != nil {
		return nil, fmt.Errorf("record run: %w", err)
	}
	s := &Summary{RunID: id}
	run := store.Run{ID: id, Started: started, Command: command, Version: labcarbon.Version, Status: "ok", Factors: p.catalog.Version()}
	err = work(s)
	for _, w := range p.resolver.Warnings() {
		msg := fmt.Sprintf("%s (%d jobs)", w.Warning, w.Jobs)
		s.Warnings = append(s.Warnings, msg)
		p.log.Warn(msg)
	}
	run.Finished = p.now().UTC()
	run.Inputs, run.Jobs, run.Quarantined = s.Inputs, s.Jobs, s.Quarantined
	switch {
	case err != nil:
		run.Status, run.Message = "failed", err.Error()
	case s.Quarantined > 0:
		run.Status = "partial"
		run.Message = fmt.Sprintf("%s, %d rows quarantined", s.stored(), s.Quarantined)
	default:
		run.Message = s.stored()
	}
	// Record the end of the run even when the context was cancelled, so
	// the history never shows a run as still going.
	if ferr := p.store.FinishRun(context.WithoutCancel(ctx), run); ferr != nil && err == nil {
		err = fmt.Errorf("record run: %w", ferr)
	}
	if err != nil {
		return s, err
	}
	if s.Quarantined > 0 {
		return s, fmt.Errorf("%s, %d rows quarantined (listed in the report's exclusions): %w", s.stored(), s.Quarantined, ErrPartial)
	}
	return s, nil
}

func (p *Pipeline) configuredInputs() ([]string, error) {
	var paths []string
	for _, pattern := range p.cfg.Ingest.SacctFiles {
		m, err := filepath.Glob(pattern)
		if err != nil {
			return nil, fmt.Errorf("config %s: ingest.sacct_files: %w", p.cfg.File, err)
		}
		if len(m) == 0 {
			return nil, fmt.Errorf("config %s: ingest.sacct_files: nothing matches %s", p.cfg.File, pattern)
		}
		sort.Strings(m)
		paths = append(paths, m...)
	}
	return paths, nil
}

func (p *Pipeline) ingestAll(ctx context.Context, s *Summary, paths []string, format string) error {
	for _, path := range paths {
		in, err := p.ingestFile(ctx, s, path, format)
		if err != nil {
			return err
		}
		s.add(in)
		p.log.Info("ingested", "file", path, "format", in.Format, "jobs", in.Jobs, "quarantined", in.Bad)
	}
	return nil
}

func (s *Summary) add(in store.Input) {
	s.Inputs = append(s.Inputs, in)
	s.Jobs += in.Jobs
	s.Quarantined += in.Bad
}

// The commands that run sacct, as the run history names them: the next
// live ingest starts from the newest successful one.
const (
	liveCommand    = "ingest --live"
	runLiveCommand = "run --live"
)

// LiveOverlap is how far before the last successful live ingest the next
// one starts by default: jobs that were running or not yet in slurmdbd's
// records then are read again and completed, and upserts keep the totals
// exact.
const LiveOverlap = 24 * time.Hour

// IngestLive runs sacct for [since, until) and ingests what it prints as one
// input. A zero since starts LiveOverlap before the start of the last
// successful live ingest, or LiveOverlap before until the first time; a
// zero until is now.
func (p *Pipeline) IngestLive(ctx context.Context, since, until time.Time) (*Summary, error) {
	since, until, err := p.liveWindow(ctx, since, until)
	if err != nil {
		return nil, err
	}
	return p.pass(ctx, liveCommand, func(s *Summary) error { return p.ingestLive(ctx, s, since, until) })
}

// liveWindow fills in the defaults of a live ingest's window.
func (p *Pipeline) liveWindow(ctx context.Context, since, until time.Time) (time.Time, time.Time, error) {
	if until.IsZero() {
		until = p.now().UTC()
	}
	if since.IsZero() {
		since = until.Add(-LiveOverlap)
		if last, ok, err := p.lastRun(ctx, liveCommand, runLiveCommand); err != nil {
			return since, until, err
		} else if ok {
			since = last.Add(-LiveOverlap)
		}
	}
	if !since.Before(until) {
		return since, until, fmt.Errorf("live ingest: --since %s is not before --until %s", since.Format(time.RFC3339), until.Format(time.RFC3339))
	}
	return since, until, nil
}

// ingestLive runs sacct for [since, until) and ingests its output.
func (p *Pipeline) ingestLive(ctx context.Context, s *Summary, since, until time.Time) error {
	r, err := slurm.Live(ctx, since, until, slurm.LiveOptions{Sacct: p.cfg.Ingest.Sacct, Args: p.cfg.Ingest.SacctArgs})
	if err != nil {
		return err
	}
	defer r.Close()
	name := fmt.Sprintf("sacct %s..%s", since.UTC().Format(time.RFC3339), until.UTC().Format(time.RFC3339))
	in, err := p.consume(ctx, s, store.Input{Name: name, Format: ingest.FormatSacct}, r, nil)
	if err != nil {
		return err
	}
	s.add(in)
	p.log.Info("ingested", "input", name, "jobs", in.Jobs, "quarantined", in.Bad)
	return nil
}

// lastRun returns the start of the newest successful run of any of commands.
func (p *Pipeline) lastRun(ctx context.Context, commands ...string) (time.Time, bool, error) {
	runs, err := p.store.Runs(ctx, 0)
	if err != nil {
		return time.Time{}, false, fmt.Errorf("read run history: %w", err)
	}
	for _, r := range runs {
		if slices.Contains(commands, r.Command) && (r.Status == "ok" || r.Status == "partial") {
			return r.Started, true, nil
		}
	}
	return time.Time{}, false, nil
}

// ingestFile streams one input into one store transaction, hashing it as it
// is read. If the input cannot be read to its end, the transaction is
// rolled back and the store is as it was.
//
// Reading, matching and computing run on this goroutine while a
// storeWriter puts the jobs already computed, so that a two-core machine
// keeps both cores busy: storing is the slowest stage, and it no longer
// waits for the others.
func (p *Pipeline) ingestFile(ctx context.Context, s *Summary, path, format string) (in store.Input, err error) {
	in = store.Input{Name: path, Format: format}
	sacctOpts, err := p.cfg.SacctOptions()
	if err != nil {
		return in, err
	}
	f, err := os.Open(path)
	if err != nil {
		return in, fmt.Errorf("ingest: %w", err)
	}
	defer f.Close()
	h := newHashingReader(f)
	defer h.Close() // stops reading ahead if the ingest stops early
	var raw io.Reader = h
	if p.Progress != nil {
		if st, err := f.Stat(); err == nil {
			raw = io.TeeReader(raw, p.Progress(path, st.Size()))
		}
	}
	r, err := source.NewReader(raw, path, source.Options{Format: format, Sacct: sacctOpts})
	if err != nil {
		return in, err
	}
	if c, ok := r.(io.Closer); ok {
		defer c.Close() // stops a reader that reads ahead, if the ingest stops early
	}
	in.Format = r.Format()
	return p.consume(ctx, s, in, r, func(in *store.Input) error {
		// Hash what is left, such as a trailing part the reader did not need.
		if _, err := io.Copy(io.Discard, raw); err != nil {
			return fmt.Errorf("ingest %s: %w", path, err)
		}
		sum, err := h.Sum()
		if err != nil {
			return fmt.Errorf("ingest %s: %w", path, err)
		}
		in.SHA256 = hex.EncodeToString(sum)
		return nil
	})
}

// consume streams the records of r into one store transaction of the run
// s records, tallying quarantined rows in s. finish, if set, completes the
// input's record before the commit. If r cannot be read to its end, the
// transaction is rolled back and the store is as it was.
func (p *Pipeline) consume(ctx context.Context, s *Summary, in store.Input, r ingest.Reader, finish func(*store.Input) error) (_ store.Input, err error) {
	batch, err := p.store.BeginBatch(ctx, s.RunID)
	if err != nil {
		return in, fmt.Errorf("ingest %s: %w", in.Name, err)
	}
	var tally quarantineTally
	w := newStoreWriter(batch, func(j *labcarbon.Job) {
		j.Assignment = p.resolver.Resolve(&j.Usage)
		j.Result = p.model.Job(&j.Usage, &j.Assignment)
	})
	defer func() {
		if err != nil {
			// The writer stops before the rollback: a batch is for one
			// goroutine at a time.
			w.stop()
			batch.Rollback()
		}
	}()
	for r.Scan() {
		if err := ctx.Err(); err != nil {
			return in, err
		}
		u, bad := r.Record()
		it, err := w.next()
		if err != nil {
			return in, err
		}
		if bad != nil {
			in.Bad++
			tally.add(bad)
			it.bad, it.isBad = *bad, true
			continue
		}
		// A copy: the reader reuses its Usage at the next Scan. Its strings
		// are never reused (readers copy what they keep out of their
		// buffers), so the copy is the job's own until the writer puts it;
		// the writer matches and computes it first.
		it.isBad = false
		it.job.Usage = *u
		in.Jobs++
	}
	if err := r.Err(); err != nil {
		return in, fmt.Errorf("ingest %s: %w (nothing of it was stored)", in.Name, err)
	}
	if err := w.finish(); err != nil {
		return in, err
	}
	if finish != nil {
		if err := finish(&in); err != nil {
			return in, err
		}
	}
	if err := batch.Commit(in); err != nil {
		return in, err
	}
	s.Quarantine = tally.mergeInto(s.Quarantine)
	return in, nil
}

// Sizes of a storeWriter's ring: enough items per chunk that handing a
// chunk over costs nothing per job, enough chunks that no stage waits for
// another's short pauses (a garbage collection, a page write), and few
// enough items (under 300 KB) that the ring stays in a core's cache
// whatever the input's size.
const (
	writerChunk  = 64
	writerChunks = 6
)

// storeWriter matches, computes and puts the items that ingestFile
// produces into a batch, in the order produced. Each stage of the data
// flow has a goroutine: the producer reads and parses the input, one
// goroutine prepares each job (matches it to its factors and computes its
// emissions), another stores it, so a big input keeps two cores busy.
// Items are written into chunks of a fixed ring and travel by the chunk;
// a chunk comes back empty for reuse once its items are stored.
type storeWriter struct {
	batch   store.Batch
	prepare func(*labcarbon.Job)
	full    chan *writerChunkBuf // to the preparing goroutine, in input order
	ready   chan *writerChunkBuf // from it to the writing goroutine
	free    chan *writerChunkBuf // back from that
	cur     *writerChunkBuf      // being filled by the producer
	quit    chan struct{}        // closed by stop: abandon what is queued
	failed  chan struct{}        // closed when writing fails, with err set
	done    chan struct{}        // closed when both goroutines have ended
	err     error                // why writing failed; read after failed
	closed  bool                 // full is closed
}

// writerChunkBuf is one chunk of the ring: n items filled.
type writerChunkBuf struct {
	items [writerChunk]writerItem
	n     int
}

// writerItem is a job to put or a row to quarantine.
type writerItem struct {
	job   labcarbon.Job
	bad   ingest.RowError
	isBad bool
}

// newStoreWriter starts the goroutines that prepare each job, with
// prepare, and put it into batch.
func newStoreWriter(batch store.Batch, prepare func(*labcarbon.Job)) *storeWriter {
	w := &storeWriter{
		batch:   batch,
		prepare: prepare,
		full:    make(chan *writerChunkBuf, writerChunks),
		// As many as there are chunks, so that the preparing goroutine
		// never waits for a writer that has failed.
		ready:  make(chan *writerChunkBuf, writerChunks),
		free:   make(chan *writerChunkBuf, writerChunks),
		cur:    new(writerChunkBuf),
		quit:   make(chan struct{}),
		failed: make(chan struct{}),
		done:   make(chan struct{}),
	}
	for range writerChunks - 1 {
		w.free <- new(writerChunkBuf)
	}
	prepared := make(chan struct{})
	go w.prepareChunks(prepared)
	go w.write(prepared)
	return w
}

// prepareChunks prepares the jobs of each chunk and passes it on.
func (w *storeWriter) prepareChunks(ended chan<- struct{}) {
	defer close(ended)
	defer close(w.ready)
	for c := range w.full {
		select {
		case <-w.quit:
			return
		default:
		}
		for i := range c.items[:c.n] {
			if it := &c.items[i]; !it.isBad {
				w.prepare(&it.job)
			}
		}
		w.ready <- c
	}
}

// write is the writing goroutine. After a failure it stops writing but
// keeps taking chunks, so that nothing waits on it, until the producer
// stops.
func (w *storeWriter) write(prepared <-chan struct{}) {
	defer close(w.done)
	defer func() { <-prepared }()
	for c := range w.ready {
		for i := range c.items[:c.n] {
			if w.err != nil {
				break
			}
			select {
			case <-w.quit:
				return
			default:
			}
			it := &c.items[i]
			var err error
			if it.isBad {
				err = w.batch.Quarantine(&it.bad)
			} else {
				err = w.batch.Put(&it.job)
			}
			if err != nil {
				w.err = err
				close(w.failed)
			}
		}
		c.n = 0
		w.free <- c // never blocks: free holds every chunk
	}
}

// next returns the item to fill next, handing the current chunk on when
// it is full. It fails with the writer's error if writing failed.
func (w *storeWriter) next() (*writerItem, error) {
	if w.cur.n == writerChunk {
		if err := w.send(); err != nil {
			return nil, err
		}
	}
	it := &w.cur.items[w.cur.n]
	w.cur.n++
	return it, nil
}

// send hands the current chunk on and takes an empty one.
func (w *storeWriter) send() error {
	select {
	case w.full <- w.cur:
	case <-w.failed:
		return w.err
	}
	select {
	case w.cur = <-w.free:
		return nil
	case <-w.failed:
		return w.err
	}
}

// finish hands over what is left and waits until it is stored.
func (w *storeWriter) finish() error {
	if w.cur.n > 0 {
		if err := w.send(); err != nil {
			return err
		}
	}
	w.closed = true
	close(w.full)
	<-w.done
	return w.err
}

// stop ends the goroutines without storing what is still queued, and
// waits for them, so that the batch can be rolled back.
func (w *storeWriter) stop() {
	close(w.quit)
	if !w.closed {
		w.closed = true
		close(w.full)
	}
	<-w.done
}

// Runs returns the run history, newest first.
func (p *Pipeline) Runs(ctx context.Context, limit int) ([]store.Run, error) {
	return p.store.Runs(ctx, limit)
}
