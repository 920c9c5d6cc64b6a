package report_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/go-gota/gota/dataframe"
	"github.com/go-gota/gota/series"

	"labcarbon"
	"labcarbon/ingest"
	"labcarbon/internal/scalebench"
	"labcarbon/report"
	"labcarbon/report/reporttest"
)

// sliceSource serves jobs held in memory, all of them in the period.
type sliceSource []labcarbon.Job

func (s sliceSource) Jobs(_ context.Context, _, _ time.Time, fn func(*labcarbon.Job) error) error {
	for i := range s {
		if err := fn(&s[i]); err != nil {
			return err
		}
	}
	return nil
}

func (sliceSource) Quarantined(context.Context) ([]ingest.RowError, error) { return nil, nil }

// BenchmarkBuild measures the aggregation pass of a quarterly report over
// jobs held in memory, so that it counts what Build does per job and not
// what the store costs to read them (see store/sqlite's BenchmarkJobs): a
// big centre's users and partitions, and the factors of a few node types.
func BenchmarkBuild(b *testing.B) {
	const n = 200_000
	p, src := benchJobs(b, n)
	b.ReportAllocs()
	cpu0 := scalebench.ProcessCPU()
	for b.Loop() {
		d, err := report.Build(context.Background(), src, p, report.Options{Now: time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)})
		if err != nil || d.Totals.Jobs == 0 {
			b.Fatalf("Build: %v, %d jobs", err, d.Totals.Jobs)
		}
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "jobs/s")
	if cpu := scalebench.ProcessCPU() - cpu0; cpu > 0 {
		b.ReportMetric(float64(n*b.N)/cpu.Seconds(), "jobs/cpu-s")
	}
}

// BenchmarkGroupByGota does one of Build's breakdowns, CO2e by group, the
// data-frame way: a frame of the jobs' groups and figures, grouped and
// summed with gota. It is why Build aggregates in plain Go: on 200,000 jobs
// (2 cores) gota does this one breakdown at about 330,000 jobs/s,
// allocating 227 MB and 17 objects per job, while Build does every
// breakdown, time bucket and factor at about 1.3 million jobs/s in 1 MB.
// gota serves where the data is already a table of a few hundred rows: the
// breakdown exports (report/export).
func BenchmarkGroupByGota(b *testing.B) {
	const n = 200_000
	_, src := benchJobs(b, n)
	b.ReportAllocs()
	for b.Loop() {
		groups := make([]string, len(src))
		co2 := make([]float64, len(src))
		for i := range src {
			groups[i], co2[i] = src[i].Account, src[i].Result.CO2eKg.Central
		}
		df := dataframe.New(series.New(groups, series.String, "group"), series.New(co2, series.Float, "co2e_kg"))
		sums := df.GroupBy("group").Aggregation([]dataframe.AggregationType{dataframe.Aggregation_SUM}, []string{"co2e_kg"})
		if sums.Err != nil || sums.Nrow() == 0 {
			b.Fatalf("gota group by: %v", sums.Err)
		}
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "jobs/s")
}

// benchJobs builds n jobs of a quarter held in memory.
func benchJobs(b *testing.B, n int) (labcarbon.Period, sliceSource) {
	b.Helper()
	p, err := labcarbon.ParsePeriod("2026Q3")
	if err != nil {
		b.Fatal(err)
	}
	nodeTypes := []labcarbon.Assignment{
		{NodeType: "cpu", Rule: "partition cpu", CPUModel: "AMD EPYC 7763", CPUWattsPerCore: labcarbon.Range{Low: 3.5, Central: 4.375, High: 5}},
		{NodeType: "gpu", Rule: "partition gpu", CPUModel: "AMD EPYC 7413", CPUWattsPerCore: labcarbon.Point(7.5), GPUModel: "NVIDIA A100 SXM4 80GB", GPUWatts: labcarbon.Range{Low: 300, Central: 400, High: 400}},
		{NodeType: "icelake", Rule: "partition icelake", CPUModel: "Intel Xeon Platinum 8360Y", CPUWattsPerCore: labcarbon.Point(6.94)},
	}
	src := make(sliceSource, n)
	for i := range src {
		j := reporttest.Job(p, i)
		j.User = fmt.Sprintf("user%04d", i%scalebench.Users)
		j.Account = fmt.Sprintf("group%02d", i%scalebench.Users/35)
		a := nodeTypes[i%len(nodeTypes)]
		a.MemWattsPerGB = labcarbon.Point(0.3725)
		a.Site, a.PUE = "dc", labcarbon.Point(1.3)
		a.Zone, a.CIgPerKWh, a.CISource = "GB", labcarbon.Range{Low: 190, Central: 210.89, High: 230}, "Ember 2024"
		j.Assignment = a
		if a.GPUModel != "" {
			j.GPUs = 1 + i%4
		}
		src[i] = j
	}
	return p, src
}
