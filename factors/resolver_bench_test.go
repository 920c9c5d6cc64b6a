package factors

import (
	"fmt"
	"testing"
	"time"

	"labcarbon"
)

// benchJobs is a realistic mix: most jobs on plain partitions, some on a
// node-pattern partition with a few hundred distinct node lists, typed and
// untyped GPUs, jobs spread over three years.
func benchJobs(n int) []labcarbon.Usage {
	parts := []string{"cpu", "cpu", "cpu", "gpu", "highmem", "debug"}
	jobs := make([]labcarbon.Usage, n)
	for i := range jobs {
		u := &jobs[i]
		u.Cluster = "hydra"
		u.Partition = parts[i%len(parts)]
		u.Start = time.Date(2022+i%3, time.Month(1+i%12), 1, 0, 0, 0, 0, time.UTC)
		u.NodeList = fmt.Sprintf("n%03d", i%50)
		if u.Partition == "gpu" {
			u.NodeList = fmt.Sprintf("gpu%02d", 1+i%16)
			u.GPUs = 1 + i%4
			if i%2 == 0 {
				u.GPUModel = "a100"
			}
		}
	}
	return jobs
}

// BenchmarkResolve measures the hot path; the design target is well over a
// million jobs per second on two cores.
func BenchmarkResolve(b *testing.B) {
	r := newResolver(b, ruleLab())
	jobs := benchJobs(4096)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		r.Resolve(&jobs[i%len(jobs)])
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "jobs/s")
}

// BenchmarkResolveParallel is BenchmarkResolve from several goroutines on
// one Resolver, as a pipeline with parallel workers would use it.
func BenchmarkResolveParallel(b *testing.B) {
	r := newResolver(b, ruleLab())
	jobs := benchJobs(4096)
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			r.Resolve(&jobs[i%len(jobs)])
			i++
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "jobs/s")
}

// BenchmarkLoad measures parsing the embedded catalog (done once per
// process).
func BenchmarkLoad(b *testing.B) {
	for i := 0; i < b.N; i++ {
		if _, err := load(dataFS); err != nil {
			b.Fatal(err)
		}
	}
}
