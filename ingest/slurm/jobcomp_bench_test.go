package slurm

import (
	"bytes"
	"os"
	"strconv"
	"testing"
)

// genJobcomp returns n jobcomp lines made from the first line of the
// equivalence log, with ids counting up.
func genJobcomp(tb testing.TB, n int) []byte {
	tb.Helper()
	data, err := os.ReadFile("testdata/jobcomp/equiv.log")
	if err != nil {
		tb.Fatal(err)
	}
	line := data[:bytes.IndexByte(data, '\n')+1]
	parts := bytes.SplitN(line, []byte("2001"), 2)
	var b bytes.Buffer
	for i := range n {
		b.Write(parts[0])
		b.WriteString(strconv.Itoa(100000 + i))
		b.Write(parts[1])
	}
	return b.Bytes()
}

// BenchmarkJobcompReader reads generated jobcomp lines, reporting jobs/s.
func BenchmarkJobcompReader(b *testing.B) {
	const jobs = 50000
	data := genJobcomp(b, jobs)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	loops := 0
	for b.Loop() {
		loops++
		r, err := NewJobcompReader(bytes.NewReader(data), "bench", JobcompOptions{})
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
}
