// Command scalebench runs labcarbon end to end on a large centre's quarter
// and prints a table of what each stage took: wall and CPU time,
// throughput and peak memory. `make bench-scale` runs it on a million jobs.
//
// Each stage is the labcarbon binary run as a child process, as a centre
// would run it, so its peak memory is its own (the child's maximum
// resident set size) and nothing of one stage stays warm for the next. The
// generated data, the store and the reports live in a temporary directory
// that is removed at the end, unless -keep is given.
//
// CPU time is printed next to wall time because a shared machine slows the
// wall clock of a stage without changing the work it does; the machine's
// load average before and after is printed for the same reason.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"labcarbon/internal/scalebench"
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "scalebench:", err)
		os.Exit(1)
	}
}

// stage is one command of the run and what it cost.
type stage struct {
	name  string
	args  []string
	reads string // the input it reads, for MB/s; "" for none

	wall, cpu time.Duration
	rss       int64
	bytes     int64  // the size of what it reads
	out       string // the sizes of what it wrote, for the table
}

func run(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("scalebench", flag.ContinueOnError)
	bin := fs.String("labcarbon", "bin/labcarbon", "the labcarbon binary to run")
	jobs := fs.Int("jobs", 1_000_000, "jobs to generate")
	users := fs.Int("users", scalebench.Users, "users of the generated centre")
	dir := fs.String("dir", "", "directory for the temporary files (default: the system's)")
	keep := fs.Bool("keep", false, "keep the generated data, store and reports")
	history := fs.Bool("history", false, "ingest the quarter before first, as a centre's store holds it")
	if err := fs.Parse(args); err != nil {
		return err
	}
	binPath, err := filepath.Abs(*bin)
	if err != nil {
		return err
	}
	work, err := os.MkdirTemp(*dir, "labcarbon-scale-")
	if err != nil {
		return err
	}
	if *keep {
		fmt.Fprintln(stdout, "files kept in", work)
	} else {
		defer os.RemoveAll(work)
	}
	cfg := filepath.Join(work, "labcarbon.yaml")
	if err := os.WriteFile(cfg, scalebench.Config(*users, "labcarbon.db", "sacct.txt"), 0o644); err != nil {
		return err
	}
	data := filepath.Join(work, "sacct.txt")
	ingest := func(file string) []string {
		return []string{"ingest", "--config", cfg, "--log-level", "error", file}
	}
	report := func(formats string) []string {
		return []string{"report", "--config", cfg, "--period", "2026Q3", "--log-level", "warn", "--format", formats}
	}
	generate := func(period, seed, file string) []string {
		return []string{"demo", "--jobs", fmt.Sprint(*jobs), "--users", fmt.Sprint(*users), "--period", period, "--seed", seed, "--out", file}
	}
	var stages []*stage
	if *history {
		// A centre's store holds the quarters before the one reported on,
		// which a report is compared with: the quarter before, here.
		before := filepath.Join(work, "sacct-before.txt")
		stages = append(stages,
			&stage{name: "generate the quarter before", args: generate("2026Q2", "2", before)},
			&stage{name: "ingest it (new store)", args: ingest(before), reads: before},
			&stage{name: "generate the quarter", args: generate("2026Q3", "1", data)},
			&stage{name: "ingest it (store with history)", args: ingest(data), reads: data},
		)
	} else {
		stages = append(stages,
			&stage{name: "generate sacct -P", args: generate("2026Q3", "1", data)},
			&stage{name: "ingest (new store)", args: ingest(data), reads: data},
		)
	}
	stages = append(stages,
		&stage{name: "ingest again (all updates)", args: ingest(data), reads: data},
		&stage{name: "report: PDF", args: report("pdf")},
		&stage{name: "report: workbook (xlsx)", args: report("xlsx")},
		&stage{name: "report: PDF + workbook", args: report("pdf,xlsx")},
	)
	load0 := loadAverage()
	for _, s := range stages {
		if err := s.run(binPath, work); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%-28s %8.1f s wall %8.1f s CPU\n", s.name, s.wall.Seconds(), s.cpu.Seconds())
	}
	fmt.Fprintln(stdout)
	quarters := "a quarter"
	if *history {
		quarters = "a quarter and the quarter before"
	}
	fmt.Fprintf(stdout, "%d jobs %s, %d users; %d CPUs, %s/%s, %s; load average %s before, %s after\n\n",
		*jobs, quarters, *users, runtime.NumCPU(), runtime.GOOS, runtime.GOARCH, runtime.Version(), load0, loadAverage())
	fmt.Fprintln(stdout, "| stage | wall time | CPU time | throughput | peak memory (RSS) | output |")
	fmt.Fprintln(stdout, "|---|---:|---:|---:|---:|---|")
	for _, s := range stages {
		tp := fmt.Sprintf("%s jobs/s", thousands(float64(*jobs)/s.wall.Seconds()))
		if s.bytes > 0 {
			tp += fmt.Sprintf(", %.0f MB/s", float64(s.bytes)/1e6/s.wall.Seconds())
		}
		fmt.Fprintf(stdout, "| %s | %.1f s | %.1f s | %s | %s | %s |\n",
			s.name, s.wall.Seconds(), s.cpu.Seconds(), tp, mib(s.rss), s.out)
	}
	return nil
}

// run runs the stage in dir and records its costs and what it wrote.
func (s *stage) run(bin, dir string) error {
	if s.reads != "" {
		st, err := os.Stat(s.reads)
		if err != nil {
			return fmt.Errorf("%s: %w", s.name, err)
		}
		s.bytes = st.Size()
	}
	cmd := exec.Command(bin, s.args...)
	cmd.Dir = dir
	var out strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &out
	start := time.Now()
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("%s: labcarbon %s: %w\n%s", s.name, strings.Join(s.args, " "), err, out.String())
	}
	s.wall = time.Since(start)
	s.cpu = cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	s.rss = scalebench.PeakRSS(cmd.ProcessState)
	var files []string
	sc := bufio.NewScanner(strings.NewReader(out.String()))
	for sc.Scan() {
		// Commands print the files they wrote, one a line; demo prints
		// one line about its file.
		line := sc.Text()
		path := line
		if i := strings.Index(line, ": "); i > 0 && s.args[0] == "demo" {
			path = line[:i]
		}
		if !filepath.IsAbs(path) {
			path = filepath.Join(dir, path)
		}
		if st, err := os.Stat(path); err == nil && !st.IsDir() {
			files = append(files, fmt.Sprintf("%s %s", filepath.Ext(path), mib(st.Size())))
		}
	}
	if st, err := os.Stat(filepath.Join(dir, "labcarbon.db")); err == nil && s.args[0] == "ingest" {
		files = append(files, "store "+mib(st.Size()))
	}
	s.out = strings.Join(files, ", ")
	return nil
}

// loadAverage returns the one-minute load average, or "?" where the
// system does not say.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	if f := strings.Fields(string(b)); len(f) > 0 {
		return f[0]
	}
	return "?"
}

// mib prints a size in the binary unit that suits it.
func mib(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.2f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.0f MiB", float64(n)/(1<<20))
	}
	return fmt.Sprintf("%.0f KiB", float64(n)/(1<<10))
}

// thousands prints a rate rounded to the unit with thousands separators.
func thousands(v float64) string {
	s := fmt.Sprintf("%.0f", v)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
