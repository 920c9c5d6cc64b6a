package slurm

import (
	"bytes"
	"encoding/json"
	"io"
	"os"
	"runtime"
	"strconv"
	"testing"
)

// jsonStream generates sacct --json output job by job, so that a test can
// read far more input than it ever holds: one job of a sample is the
// template, its id replaced by the next one for every job.
type jsonStream struct {
	n, i  int
	parts [][]byte // the template job cut at its id
	tail  []byte
	buf   []byte
}

// newJSONStream returns n copies of job jobIdx (0-based) of the sample of
// a Slurm release, in that release's shape.
func newJSONStream(tb testing.TB, sample string, jobIdx, n int) *jsonStream {
	tb.Helper()
	data, err := os.ReadFile(sample)
	if err != nil {
		tb.Fatal(err)
	}
	var doc struct {
		Jobs []json.RawMessage `json:"jobs"`
		Meta json.RawMessage   `json:"meta"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		tb.Fatal(err)
	}
	job := doc.Jobs[jobIdx]
	var id struct {
		JobID int `json:"job_id"`
	}
	if err := json.Unmarshal(job, &id); err != nil {
		tb.Fatal(err)
	}
	s := &jsonStream{n: n, tail: []byte("\n  ]\n}\n")}
	s.parts = bytes.Split(job, []byte(strconv.Itoa(id.JobID)))
	s.buf = append(append([]byte(`{"meta": `), doc.Meta...), ",\n  \"jobs\": [\n    "...)
	return s
}

func (s *jsonStream) Read(p []byte) (int, error) {
	for len(s.buf) == 0 {
		switch {
		case s.i > s.n:
			return 0, io.EOF
		case s.i == s.n:
			s.buf = append(s.buf, s.tail...)
		default:
			if s.i > 0 {
				s.buf = append(s.buf, ",\n    "...)
			}
			for k, part := range s.parts {
				if k > 0 {
					s.buf = strconv.AppendInt(s.buf, int64(100000+s.i), 10)
				}
				s.buf = append(s.buf, part...)
			}
		}
		s.i++
	}
	n := copy(p, s.buf)
	s.buf = s.buf[n:]
	return n, nil
}

// TestJSONStream checks the generator: every job reads back, once.
func TestJSONStream(t *testing.T) {
	r, err := NewJSONReader(newJSONStream(t, "testdata/json/slurm-23.11.json", 0, 300), "gen", JSONOptions{})
	if err != nil {
		t.Fatal(err)
	}
	items := drain(t, r)
	if len(items) != 300 || items[299].Usage == nil || items[299].Usage.JobIDRaw != "100299" || r.Stats().Steps != 900 {
		t.Fatalf("%d items, stats %+v", len(items), r.Stats())
	}
}

// BenchmarkJSONReader reads generated sacct --json output of jobs with
// three steps each, in the shape of 22.05 (plain numbers) and of 24.11
// (numbers wrapped in {"set", "infinite", "number"}), reporting jobs/s.
func BenchmarkJSONReader(b *testing.B) {
	for _, release := range []string{"22.05", "24.11"} {
		b.Run(release, func(b *testing.B) {
			const jobs = 5000
			data, err := io.ReadAll(newJSONStream(b, "testdata/json/slurm-"+release+".json", 0, jobs))
			if err != nil {
				b.Fatal(err)
			}
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			loops := 0
			for b.Loop() {
				loops++
				r, err := NewJSONReader(bytes.NewReader(data), "bench", JSONOptions{})
				if err != nil {
					b.Fatal(err)
				}
				n := 0
				for r.Scan() {
					if u, _ := r.Record(); u != nil {
						n++
					}
				}
				if r.Err() != nil || n != jobs {
					b.Fatalf("read %d jobs, err %v", n, r.Err())
				}
			}
			b.ReportMetric(float64(jobs*loops)/b.Elapsed().Seconds(), "jobs/s")
		})
	}
}

// TestJSONReaderMemoryBounded reads many jobs from a stream and checks
// that the heap does not grow with them: the reader holds one job at a
// time, and the line index forgets what it has passed.
func TestJSONReaderMemoryBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("reads 10k jobs")
	}
	heap := func() uint64 {
		var m runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	const jobs = 10000
	r, err := NewJSONReader(newJSONStream(t, "testdata/json/slurm-22.05.json", 2, jobs), "stream", JSONOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var at1k uint64
	n := 0
	for r.Scan() {
		if u, bad := r.Record(); u == nil {
			t.Fatalf("bad row: %v", bad)
		}
		n++
		if n == 1000 {
			at1k = heap()
		}
	}
	if n != jobs || r.Err() != nil {
		t.Fatalf("read %d jobs, err %v", n, r.Err())
	}
	if end := heap(); end > at1k+1<<20 {
		t.Errorf("heap grew from %d to %d bytes reading %d more jobs", at1k, end, jobs-1000)
	}
}
