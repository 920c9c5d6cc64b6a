package pipeline

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strconv"
	"testing"

	"labcarbon"
	"labcarbon/ingest"
	"labcarbon/store"
)

// recordingBatch records what a storeWriter puts, in order, and can fail
// at a given put.
type recordingBatch struct {
	got    []string
	failAt int // 1-based put that fails; 0 never
	onPut  func(n int)
}

var errPutFailed = errors.New("disk on fire")

func (b *recordingBatch) Put(j *labcarbon.Job) error {
	b.got = append(b.got, "job "+j.JobIDRaw)
	if b.onPut != nil {
		b.onPut(len(b.got))
	}
	if len(b.got) == b.failAt {
		return errPutFailed
	}
	return nil
}

func (b *recordingBatch) Quarantine(r *ingest.RowError) error {
	b.got = append(b.got, "bad "+strconv.Itoa(r.Line))
	return nil
}

func (b *recordingBatch) Commit(store.Input) error { return nil }
func (b *recordingBatch) Rollback() error          { return nil }

// TestStoreWriterKeepsOrder puts jobs and bad rows over several chunks and
// checks they reach the batch in the order given, each with its own values
// although the ring reuses them.
func TestStoreWriterKeepsOrder(t *testing.T) {
	b := &recordingBatch{}
	w := newStoreWriter(b, func(*labcarbon.Job) {})
	var want []string
	for i := range 3*writerChunk*writerChunks + 7 {
		it, err := w.next()
		if err != nil {
			t.Fatal(err)
		}
		if i%10 == 3 {
			it.bad, it.isBad = ingest.RowError{Line: i}, true
			want = append(want, "bad "+strconv.Itoa(i))
			continue
		}
		it.isBad = false
		it.job.JobIDRaw = strconv.Itoa(i)
		want = append(want, "job "+strconv.Itoa(i))
	}
	if err := w.finish(); err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(b.got) != fmt.Sprint(want) {
		t.Errorf("the batch got\n%v\nwant\n%v", b.got, want)
	}
}

// TestStoreWriterFails checks that a failing put stops the producer with
// the batch's error, and that nothing after it is put.
func TestStoreWriterFails(t *testing.T) {
	b := &recordingBatch{failAt: writerChunk + 5}
	w := newStoreWriter(b, func(*labcarbon.Job) {})
	var err error
	for i := 0; err == nil && i < 100*writerChunk; i++ {
		var it *writerItem
		if it, err = w.next(); err == nil {
			it.isBad, it.job.JobIDRaw = false, strconv.Itoa(i)
		}
	}
	if err == nil {
		err = w.finish()
	}
	w.stop()
	if !errors.Is(err, errPutFailed) {
		t.Errorf("producer stopped with %v, want %v", err, errPutFailed)
	}
	if len(b.got) != b.failAt {
		t.Errorf("%d puts, want none after the failure at %d", len(b.got), b.failAt)
	}
}

// failingStore is a real store whose batches fail, or cancel the ingest,
// after a number of jobs; Put goes to the real batch until then.
type failingStore struct {
	store.Store
	after  int
	err    error
	cancel context.CancelFunc
}

func (s failingStore) BeginBatch(ctx context.Context, runID int64) (store.Batch, error) {
	b, err := s.Store.BeginBatch(ctx, runID)
	return &failingBatch{Batch: b, s: s}, err
}

type failingBatch struct {
	store.Batch
	s failingStore
	n int
}

func (b *failingBatch) Put(j *labcarbon.Job) error {
	b.n++
	if b.n == b.s.after {
		if b.s.cancel != nil {
			b.s.cancel()
		}
		if b.s.err != nil {
			return b.s.err
		}
	}
	return b.Batch.Put(j)
}

// TestIngestRollsBackOnWriterFailure checks that an input is stored whole
// or not at all when the writer goroutine fails or the ingest is
// cancelled halfway through.
func TestIngestRollsBackOnWriterFailure(t *testing.T) {
	cfg, dir := lab(t, 3*writerChunk*writerChunks)
	file := filepath.Join(dir, "data", "sacct.txt")
	for _, tt := range []struct {
		name string
		fail func(*failingStore, context.CancelFunc)
		want error
	}{
		{"put fails", func(s *failingStore, _ context.CancelFunc) { s.err = errPutFailed }, errPutFailed},
		{"cancelled", func(s *failingStore, cancel context.CancelFunc) { s.cancel = cancel }, context.Canceled},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p := open(t, cfg)
			st := p.store
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			fs := failingStore{Store: st, after: 2*writerChunk + 1}
			tt.fail(&fs, cancel)
			p.store = fs
			if _, err := p.Ingest(ctx, []string{file}, "auto"); !errors.Is(err, tt.want) {
				t.Errorf("Ingest: %v, want %v", err, tt.want)
			}
			p.store = st
			if got := total(t, p); got != 0 {
				t.Errorf("after the failed ingest the store holds %g kg", got)
			}
		})
	}
}
