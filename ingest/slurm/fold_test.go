package slurm

import (
	"math"
	"os"
	"testing"

	"labcarbon"
)

// TestDemoHandChecked pins the folding rules on demo.txt with values worked
// out by hand, so that a golden file accepted with -update cannot quietly
// change them.
func TestDemoHandChecked(t *testing.T) {
	data, err := os.ReadFile("testdata/demo.txt")
	if err != nil {
		t.Fatal(err)
	}
	g := readAll(t, "demo.txt", data, SacctOptions{})
	jobs := map[string]*labcarbon.Usage{}
	bad := map[int]string{}
	for _, it := range g.Items {
		if it.Usage != nil {
			jobs[it.Usage.JobIDRaw] = it.Usage
		} else {
			bad[it.Bad.Line] = it.Bad.Field
		}
	}
	near := func(a, b float64) bool { return math.Abs(a-b) < 1e-9 }
	check := func(id string, what string, got, want float64) {
		t.Helper()
		if !near(got, want) {
			t.Errorf("job %s %s = %v, want %v", id, what, got, want)
		}
	}
	get := func(id string) *labcarbon.Usage {
		t.Helper()
		u := jobs[id]
		if u == nil {
			t.Fatalf("job %s missing", id)
		}
		return u
	}

	// 1001: job line TotalCPU 03:50:11; peak = .0's TRESUsageInTot
	// mem=7012352K (the sum of 4 tasks), not its MaxRSS 1843200K.
	u := get("1001")
	check("1001", "CPUTimeSec", u.CPUTimeSec, 3*3600+50*60+11)
	check("1001", "MemPeakGB", u.MemPeakGB, 7012352.0/1024/1024)
	check("1001", "MemReqGB", u.MemReqGB, 8)

	// 1003 is array task 1002_1.
	u = get("1003")
	if u.JobID != "1002_1" || u.ParentID != "1002" {
		t.Errorf("array task: JobID %q ParentID %q", u.JobID, u.ParentID)
	}
	check("1003", "MemReqGB", u.MemReqGB, 2000.0/1024)

	// 1004: two A100s; gpuutil 150 % on .batch for its 7200 s and 0 on
	// .extern: 150×7200 / (7200 s × 2 GPUs × 100 %) = 0.75.
	u = get("1004")
	if u.GPUs != 2 || u.GPUModel != "a100" || !u.HasGPUUtil {
		t.Errorf("1004 GPUs %d %q %v", u.GPUs, u.GPUModel, u.HasGPUUtil)
	}
	check("1004", "GPUUtil", u.GPUUtil, 0.75)
	check("1004", "EnergyJ", u.EnergyJ, 5400000)
	check("1004", "TimelimitSec", float64(u.TimelimitSec), 240*60)

	// 1005 was cancelled while pending: Start None, no usage at all.
	u = get("1005")
	if u.State != labcarbon.StateCancelled || !u.Start.IsZero() || u.ElapsedSec != 0 || u.CPUTimeSec != 0 || u.Ran() {
		t.Errorf("1005 = %+v, want cancelled with zero usage", u)
	}
	check("1005", "MemReqGB", u.MemReqGB, 4)

	// 1007 is still running: End Unknown, usage so far.
	u = get("1007")
	if u.State != labcarbon.StateRunning || !u.End.IsZero() || u.ElapsedSec != 1800 {
		t.Errorf("1007 = %+v", u)
	}

	// 1010+1 is a het component with its own raw id 1011.
	if u = get("1011"); u.JobID != "1010+1" || u.ParentID != "1010" {
		t.Errorf("het: JobID %q ParentID %q", u.JobID, u.ParentID)
	}

	// 1012 was requeued: only the later record (COMPLETED on node006).
	u = get("1012")
	if u.State != labcarbon.StateCompleted || u.NodeList != "node006" || g.Stats.Duplicates != 1 {
		t.Errorf("1012 = %s on %s, duplicates %d", u.State, u.NodeList, g.Stats.Duplicates)
	}
	check("1012", "CPUTimeSec", u.CPUTimeSec, 7*3600+50*60)
	check("1012", "MemPeakGB", u.MemPeakGB, 4) // mem=4G, MaxRSS 4294967296 bytes

	// 1015's batch step is bad: quarantined alone; the job keeps its line's
	// TotalCPU and the extern's peak.
	if bad[35] != "TRESUsageInTot" {
		t.Errorf("line 35 quarantined for %q, want TRESUsageInTot", bad[35])
	}
	check("1015", "MemPeakGB", get("1015").MemPeakGB, 1600.0/1024/1024)

	// 1020: typed only, l40s=1 and a40=1: 2 GPUs, the first type listed
	// names the model; util (0×3600 + 160×1800) / (3600 × 2 × 100) = 0.4.
	u = get("1020")
	if u.GPUs != 2 || u.GPUModel != "l40s" {
		t.Errorf("1020 GPUs %d %q", u.GPUs, u.GPUModel)
	}
	check("1020", "GPUUtil", u.GPUUtil, 0.4)

	// The impossible rows, each quarantined with the column at fault.
	for line, field := range map[int]string{32: "", 33: "", 37: "End", 38: "", 39: "TotalCPU", 41: "ElapsedRaw", 42: "Submit"} {
		if got, ok := bad[line]; !ok || got != field {
			t.Errorf("line %d: quarantined %v for %q, want field %q", line, ok, got, field)
		}
	}
	for _, id := range []string{"1014", "1016", "1017", "1018", "1019"} {
		if jobs[id] != nil {
			t.Errorf("job %s should be quarantined", id)
		}
	}
}
