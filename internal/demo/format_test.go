package demo

import "testing"

func TestAppendSize(t *testing.T) {
	for _, c := range []struct {
		v    float64
		unit int
		want string
	}{
		{0, unitBytes, "0"},
		{0, unitMiB, "0"},
		{3501608 * 1024, unitBytes, "3501608K"},
		{1536 * 1024, unitBytes, "1.50M"},
		{12300 * 1024, unitBytes, "12300K"},
		{2000, unitMiB, "2000M"},
		{4000, unitMiB, "4000M"},
		{32 << 10, unitMiB, "32G"},
		{64000, unitMiB, "62.50G"},
		{128000, unitMiB, "125G"},
		{1000 << 10, unitMiB, "1000G"},
		{4000 << 10, unitMiB, "4000G"},
		{4 << 20, unitMiB, "4T"},
		{512, unitBytes, "512"},
	} {
		if got := string(appendSize(nil, c.v, c.unit)); got != c.want {
			t.Errorf("appendSize(%v, %d) = %q, want %q", c.v, c.unit, got, c.want)
		}
	}
}

func TestAppendDurations(t *testing.T) {
	for _, c := range []struct {
		secs int64
		want string
	}{
		{0, "00:00:00"},
		{59, "00:00:59"},
		{3661, "01:01:01"},
		{86399, "23:59:59"},
		{86400, "1-00:00:00"},
		{451*86400 + 6*3600 + 24, "451-06:00:24"},
	} {
		if got := string(appendElapsed(nil, c.secs)); got != c.want {
			t.Errorf("appendElapsed(%d) = %q, want %q", c.secs, got, c.want)
		}
	}
	for _, c := range []struct {
		usec int64
		want string
	}{
		{0, "00:00:00"},
		{500, "00:00:00"}, // below a millisecond sacct prints no fraction
		{46_919_000, "00:46.919"},
		{1869_458_123, "31:09.458"},
		{29_234_000, "00:29.234"},
		{60_000_000, "00:01:00"},
		{3600_500_000, "01:00:00"},
		{2*86400e6 + 3_000_000, "2-00:00:03"},
	} {
		if got := string(appendCPU(nil, c.usec)); got != c.want {
			t.Errorf("appendCPU(%d) = %q, want %q", c.usec, got, c.want)
		}
		if c.usec%1000 == 0 && c.usec < 3600e6 {
			if back, err := sacctDuration(c.want); err != nil || back != c.usec {
				t.Errorf("sacctDuration(%q) = %d, %v; want %d", c.want, back, err, c.usec)
			}
		}
	}
}

func TestClock(t *testing.T) {
	c := newClock()
	for _, tc := range []struct {
		unix int64
		want string
	}{
		{1782864000, "2026-07-01T00:00:00"},
		{1782864000 + 13*3600 + 62, "2026-07-01T13:01:02"},
		{1790812799, "2026-09-30T23:59:59"},
		{1782864000 + 5, "2026-07-01T00:00:05"}, // back to a cached day
	} {
		if got := string(c.append(nil, tc.unix)); got != tc.want {
			t.Errorf("clock(%d) = %q, want %q", tc.unix, got, tc.want)
		}
	}
}

func TestHostlist(t *testing.T) {
	for _, c := range []struct {
		nodes []int
		want  string
	}{
		{[]int{17}, "cpu017"},
		{[]int{3, 4, 5, 6}, "cpu[003-006]"},
		{[]int{3, 4, 11}, "cpu[003-004,011]"},
		{[]int{1, 3, 5}, "cpu[001,003,005]"},
	} {
		if got := string(appendHostlist(nil, "cpu", 3, c.nodes)); got != c.want {
			t.Errorf("hostlist %v = %q, want %q", c.nodes, got, c.want)
		}
	}
	want := map[string]string{"cpu": "cpu[001-048]", "gpu": "gpu[01-08]", "highmem": "hmem[01-04]"}
	for _, p := range Partitions(0) {
		if got := p.NodeList(); got != want[p.Name] {
			t.Errorf("%s nodes %q, want %q", p.Name, got, want[p.Name])
		}
	}
}
