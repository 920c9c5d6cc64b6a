package slurm

import (
	"bytes"
	"fmt"
	"io"
	"runtime"
	"strconv"
	"testing"
	"time"
)

// demoHeader is the header labcarbon's demo data uses.
const demoHeader = "JobID|JobIDRaw|User|UID|Group|Account|Partition|QOS|Cluster|State|ExitCode|Submit|Start|End|Elapsed|ElapsedRaw|TimelimitRaw|NNodes|NCPUS|NTasks|NodeList|ReqMem|ReqTRES|AllocTRES|TotalCPU|MaxRSS|TRESUsageInTot|ConsumedEnergyRaw|WorkDir|JobName"

// genSacct writes n jobs of four lines each (job, .batch, .extern, .0) in
// the demo layout: the shape of a day of real sacct -P output.
func genSacct(n int) []byte {
	var b bytes.Buffer
	b.WriteString(demoHeader + "\n")
	t0 := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	const ts = "2006-01-02T15:04:05"
	for i := range n {
		id := 100000 + i
		sub := t0.Add(time.Duration(i) * 7 * time.Second)
		start, end := sub.Add(30*time.Second), sub.Add(30*time.Second+time.Duration(600+i%3600)*time.Second)
		el := int(end.Sub(start) / time.Second)
		s, e, su := start.Format(ts), end.Format(ts), sub.Format(ts)
		cpus := 1 << (i % 5)
		cpu := formatDuration(time.Duration(el*cpus*8/10) * time.Second)[:8]
		user := fmt.Sprintf("user%03d", i%300)
		fmt.Fprintf(&b, "%d|%d|%s|%d|grp%d|lab%d|cpu|normal|hpc1|COMPLETED|0:0|%s|%s|%s|%s|%d|120|1|%d||node%03d|%dG|billing=%d,cpu=%d,mem=%dG,node=1|billing=%d,cpu=%d,mem=%dG,node=1|%s|||0|/home/%s/run|job-%d\n",
			id, id, user, 1000+i%300, i%20, i%20, su, s, e, formatDuration(time.Duration(el) * time.Second)[:8], el, cpus, i%500, 2*cpus, cpus, cpus, 2*cpus, cpus, cpus, 2*cpus, cpu, user, i)
		fmt.Fprintf(&b, "%d.batch|%d.batch||||lab%d|||hpc1|COMPLETED|0:0|%s|%s|%s|%s|%d||1|%d|1|node%03d|||cpu=%d,mem=%dG,node=1|00:00:01|102400K|cpu=00:00:01,energy=0,fs/disk=2048,mem=102400K,pages=0,vmem=250000K|0||batch\n",
			id, id, i%20, s, s, e, formatDuration(time.Duration(el) * time.Second)[:8], el, cpus, i%500, cpus, 2*cpus)
		fmt.Fprintf(&b, "%d.extern|%d.extern||||lab%d|||hpc1|COMPLETED|0:0|%s|%s|%s|%s|%d||1|%d|1|node%03d|||billing=%d,cpu=%d,mem=%dG,node=1|00:00:00|1600K|cpu=00:00:00,energy=0,fs/disk=2332,mem=1600K,pages=0,vmem=4368K|0||extern\n",
			id, id, i%20, s, s, e, formatDuration(time.Duration(el) * time.Second)[:8], el, cpus, i%500, cpus, cpus, 2*cpus)
		fmt.Fprintf(&b, "%d.0|%d.0||||lab%d|||hpc1|COMPLETED|0:0|%s|%s|%s|%s|%d||1|%d|%d|node%03d|||cpu=%d,mem=%dG,node=1|%s|1843200K|cpu=%s,energy=0,fs/disk=10485760,mem=7012352K,pages=12,vmem=8000000K|0||sim\n",
			id, id, i%20, s, s, e, formatDuration(time.Duration(el) * time.Second)[:8], el, cpus, cpus, i%500, cpus, 2*cpus, cpu, cpu)
	}
	return b.Bytes()
}

func TestGenSacct(t *testing.T) {
	g := readAll(t, "gen", genSacct(500), SacctOptions{})
	if len(g.Items) != 500 || g.Stats.RowErrors != 0 || g.Stats.Steps != 1500 {
		for _, it := range g.Items {
			if it.Bad != nil {
				t.Fatalf("generated input has a bad row: %v", it.Bad)
			}
		}
		t.Fatalf("got %d items, stats %+v", len(g.Items), g.Stats)
	}
}

// BenchmarkSacctReader reads generated sacct -P output of four lines per
// job, reporting jobs/s and MB/s of wall time, and jobs per CPU-second of
// the whole process (the reader plus the garbage collector).
func BenchmarkSacctReader(b *testing.B) {
	const jobs = 50000
	data := genSacct(jobs)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	cpu0, loops := processCPU(), 0
	for b.Loop() {
		loops++
		r, err := NewSacctReader(bytes.NewReader(data), "bench", SacctOptions{})
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
	if cpu := processCPU() - cpu0; cpu > 0 {
		b.ReportMetric(float64(jobs*loops)/cpu.Seconds(), "jobs/cpu-s")
	}
}

// jobStream generates sacct output job by job, so that a test can read far
// more input than it ever holds: one generated job is the template, its id
// replaced by the next one for every job.
type jobStream struct {
	n, i  int
	parts [][]byte // the template cut at the job id
	buf   []byte
}

func newJobStream(n int) *jobStream {
	one := genSacct(1)
	s := &jobStream{n: n, buf: one[:bytes.IndexByte(one, '\n')+1]}
	s.parts = bytes.Split(one[len(s.buf):], []byte("100000"))
	return s
}

func (s *jobStream) Read(p []byte) (int, error) {
	for len(s.buf) == 0 {
		if s.i == s.n {
			return 0, io.EOF
		}
		for k, part := range s.parts {
			if k > 0 {
				s.buf = strconv.AppendInt(s.buf, int64(100000+s.i), 10)
			}
			s.buf = append(s.buf, part...)
		}
		s.i++
	}
	n := copy(p, s.buf)
	s.buf = s.buf[n:]
	return n, nil
}

// TestSacctReaderMemoryBounded reads many jobs from a stream and checks
// that the heap does not grow with them.
func TestSacctReaderMemoryBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("reads 100k jobs")
	}
	heap := func() uint64 {
		var m runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	r, err := NewSacctReader(newJobStream(100000), "stream", SacctOptions{})
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
	if n != 100000 || r.Err() != nil {
		t.Fatalf("read %d jobs, err %v", n, r.Err())
	}
	if end := heap(); end > at1k+4<<20 {
		t.Errorf("heap grew from %d to %d bytes reading 99k more jobs", at1k, end)
	}
}
