package pipeline

import (
	"context"
	"fmt"
	"time"

	"labcarbon"
	"labcarbon/ingest"
	"labcarbon/store"
)

// restateChunk is how much of a period Restate reads at a time: the usage of
// a day's jobs is held in memory while it is computed again, so memory
// follows a day's jobs, not the period's.
const restateChunk = 24 * time.Hour

// Restate computes every stored job of period again from its usage, with
// the factors, overrides and hourly intensity the lab has now, and stores
// the new results in one transaction: after importing an hourly series or
// correcting a factor, past periods show what they would have shown. Jobs
// that ran across the period's edges are restated whole.
func (p *Pipeline) Restate(ctx context.Context, period labcarbon.Period) (*Summary, error) {
	name := "restate " + period.Label
	return p.pass(ctx, name, func(s *Summary) error {
		r := &storedJobs{ctx: ctx, st: p.store, period: period, from: period.From}
		in, err := p.consume(ctx, s, store.Input{Name: name, Format: "restate"}, r, nil)
		if err != nil {
			return err
		}
		s.add(in)
		p.log.Info("restated", "period", period.Label, "jobs", in.Jobs)
		return nil
	})
}

// storedJobs reads the usage of a period's stored jobs as an ingest.Reader,
// a chunk of the period at a time, each job once.
type storedJobs struct {
	ctx    context.Context
	st     store.Store
	period labcarbon.Period
	from   time.Time         // start of the next chunk to read
	chunk  []labcarbon.Usage // the chunk being read
	next   int
	err    error
}

func (r *storedJobs) Scan() bool {
	for r.next >= len(r.chunk) {
		if r.err != nil || !r.from.Before(r.period.To) {
			return false
		}
		from, to := r.from, r.from.Add(restateChunk)
		if to.After(r.period.To) {
			to = r.period.To
		}
		r.from, r.chunk, r.next = to, r.chunk[:0], 0
		err := r.st.Jobs(r.ctx, from, to, func(j *labcarbon.Job) error {
			// A job is restated in the chunk where it first counts in the
			// period, not again in the chunks it runs on into.
			if !firstCounts(&j.Usage, r.period.From).Before(from) {
				r.chunk = append(r.chunk, j.Usage)
			}
			return nil
		})
		if err != nil {
			r.err = fmt.Errorf("read stored jobs from %s: %w", from.Format(time.RFC3339), err)
			return false
		}
	}
	r.next++
	return true
}

func (r *storedJobs) Record() (*labcarbon.Usage, *ingest.RowError) { return &r.chunk[r.next-1], nil }
func (r *storedJobs) Err() error                                   { return r.err }

// firstCounts returns when a job first counts in a period starting at from:
// when it started, or from if it started earlier; a job that never ran
// counts when it was submitted.
func firstCounts(u *labcarbon.Usage, from time.Time) time.Time {
	t := u.Submit
	if u.Ran() {
		t = u.Start
	}
	if t.Before(from) {
		return from
	}
	return t
}
