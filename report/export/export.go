// Package export writes results for people who analyse them further: one
// row per job, or one row per group, user, partition, month, cluster or
// node type, as CSV or JSON. The per-job column names and order are a
// contract scripts rely on.
package export

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/go-gota/gota/dataframe"
	"github.com/go-gota/gota/series"

	"labcarbon"
	"labcarbon/report"
)

// JobColumns are the per-job columns, in order. The first 22 are the
// documented contract; later ones may be added, never moved.
//
// ci_hourly_share is the share of the run an hourly intensity series
// covered (ci_source says which series); market_co2e_kg is empty where the
// site has no market-based factor, since a renewable contract's 0 is a
// figure; the embodied and the idle-core figures are beside co2e_kg, not
// in it. gpu_util, 0..1, is empty where Slurm measured none.
var JobColumns = []string{
	"cluster", "job_id", "user", "group", "partition", "state", "start", "end",
	"elapsed_s", "cpus", "gpus", "cpu_time_s", "mem_req_gb", "mem_peak_gb",
	"energy_kwh", "energy_source", "co2e_kg", "co2e_kg_low", "co2e_kg_high",
	"ci_g_per_kwh", "ci_source", "pue",
	"job_id_raw", "account", "submit", "node_type", "gpu_model", "cpu_efficiency",
	"mem_efficiency", "cost", "energy_kwh_low", "energy_kwh_high",
	"ci_hourly_share", "market_co2e_kg", "embodied_co2e_kg", "node_share",
	"mem_waste_co2e_kg", "idle_core_hours", "idle_core_co2e_kg", "gpu_util",
}

// Format is an output encoding.
type Format string

// The encodings export writes.
const (
	CSV  Format = "csv"
	JSON Format = "json"
)

// ParseFormat checks a --format value.
func ParseFormat(s string) (Format, error) {
	switch f := Format(s); f {
	case CSV, JSON:
		return f, nil
	}
	return "", fmt.Errorf("unknown export format %q (want csv or json)", s)
}

// Jobs writes one row per job of d, streaming: memory does not grow with
// the number of jobs. Each job's group is the one the report counts it
// under (d.GroupOf).
func Jobs(w io.Writer, f Format, d *report.Data) error {
	lb := &labels{groupOf: d.GroupOf, user: report.MemoLabel(d.JobUser)}
	if lb.groupOf == nil {
		lb.groupOf = func(u *labcarbon.Usage) string { return u.Account }
	}
	bw := bufio.NewWriter(w)
	var err error
	switch f {
	case CSV:
		err = jobsCSV(bw, d, lb)
	case JSON:
		err = jobsJSON(bw, d, lb)
	default:
		err = fmt.Errorf("unknown export format %q", f)
	}
	if err != nil {
		return err
	}
	return bw.Flush()
}

func jobsCSV(w io.Writer, d *report.Data, lb *labels) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(JobColumns); err != nil {
		return fmt.Errorf("write CSV header: %w", err)
	}
	rec := make([]string, len(JobColumns))
	if err := d.Jobs(func(j *labcarbon.Job) error {
		jobRecord(rec, j, lb)
		for i, c := range JobColumns {
			if !numericColumns[c] {
				rec[i] = csvText(rec[i])
			}
		}
		return cw.Write(rec)
	}); err != nil {
		return fmt.Errorf("export jobs: %w", err)
	}
	cw.Flush()
	return cw.Error()
}

// numericColumns are the columns of JobColumns that hold numbers.
var numericColumns = map[string]bool{}

func init() {
	for _, c := range []string{"elapsed_s", "cpus", "gpus", "cpu_time_s", "mem_req_gb", "mem_peak_gb", "energy_kwh",
		"co2e_kg", "co2e_kg_low", "co2e_kg_high", "ci_g_per_kwh", "pue", "cpu_efficiency", "mem_efficiency", "cost",
		"energy_kwh_low", "energy_kwh_high", "ci_hourly_share", "market_co2e_kg", "embodied_co2e_kg", "node_share",
		"mem_waste_co2e_kg", "idle_core_hours", "idle_core_co2e_kg", "gpu_util"} {
		numericColumns[c] = true
	}
}

// csvText keeps a spreadsheet that opens a CSV file from running a text
// cell as a formula: job names are typed by users, and "=HYPERLINK(…)" or
// a DDE call in one would run on the reader's machine. A text that begins
// with =, +, -, @, a tab or a carriage return gets a leading apostrophe,
// which Excel and LibreOffice show as text (OWASP's advice). Numbers,
// negative ones included, never pass through it.
func csvText(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// jobsJSON writes a JSON array of objects keyed by JobColumns, one job at a
// time, with numbers as JSON numbers.
func jobsJSON(w io.Writer, d *report.Data, lb *labels) error {
	rec := make([]string, len(JobColumns))
	numeric := numericColumns
	io.WriteString(w, "[")
	first := true
	err := d.Jobs(func(j *labcarbon.Job) error {
		jobRecord(rec, j, lb)
		if !first {
			io.WriteString(w, ",")
		}
		first = false
		io.WriteString(w, "\n{")
		for i, c := range JobColumns {
			if i > 0 {
				io.WriteString(w, ",")
			}
			k, _ := json.Marshal(c)
			w.Write(k)
			io.WriteString(w, ":")
			switch {
			case numeric[c] && rec[i] == "":
				io.WriteString(w, "null") // a figure the job does not have
			case numeric[c]:
				io.WriteString(w, rec[i])
			default:
				v, _ := json.Marshal(rec[i])
				w.Write(v)
			}
		}
		_, err := io.WriteString(w, "}")
		return err
	})
	if err != nil {
		return fmt.Errorf("export jobs: %w", err)
	}
	_, err = io.WriteString(w, "\n]\n")
	return err
}

// labels print a job's user (the login, or its pseudonym) and the group the
// report counts it under.
type labels struct {
	groupOf func(*labcarbon.Usage) string
	user    func(login string) string
}

func jobRecord(rec []string, j *labcarbon.Job, lb *labels) {
	u, a, r := &j.Usage, &j.Assignment, &j.Result
	num := func(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }
	rec[0] = u.Cluster
	rec[1] = u.JobID
	rec[2] = lb.user(u.User)
	rec[3] = lb.groupOf(u)
	rec[4] = u.Partition
	rec[5] = string(u.State)
	rec[6] = rfc3339(u.Start)
	rec[7] = rfc3339(u.End)
	rec[8] = strconv.FormatInt(u.ElapsedSec, 10)
	rec[9] = strconv.Itoa(u.CPUs)
	rec[10] = strconv.Itoa(u.GPUs)
	rec[11] = num(u.CPUTimeSec)
	rec[12] = num(u.MemReqGB)
	rec[13] = num(u.MemPeakGB)
	rec[14] = num(r.EnergyKWh.Central)
	rec[15] = string(r.EnergySource)
	rec[16] = num(r.CO2eKg.Central)
	rec[17] = num(r.CO2eKg.Low)
	rec[18] = num(r.CO2eKg.High)
	rec[19] = num(r.CIgPerKWh)
	rec[20] = r.CISource
	rec[21] = num(r.PUE)
	rec[22] = u.JobIDRaw
	rec[23] = u.Account
	rec[24] = rfc3339(u.Submit)
	rec[25] = a.NodeType
	rec[26] = a.GPUModel
	rec[27] = num(r.CPUEfficiency)
	rec[28] = num(r.MemEfficiency)
	rec[29] = num(r.Cost)
	rec[30] = num(r.EnergyKWh.Low)
	rec[31] = num(r.EnergyKWh.High)
	rec[32] = num(r.CIHourlyShare)
	rec[33] = ""
	if r.HasMarket {
		rec[33] = num(r.MarketCO2eKg.Central)
	}
	rec[34] = num(r.EmbodiedCO2eKg.Central)
	rec[35] = num(r.NodeShare)
	rec[36] = num(r.MemWasteCO2eKg.Central)
	rec[37] = num(r.IdleCoreHours)
	rec[38] = num(r.IdleCoreCO2eKg.Central)
	rec[39] = ""
	if u.HasGPUUtil {
		rec[39] = num(u.GPUUtil)
	}
}

// rfc3339 prints a time in UTC, or nothing when it is unknown.
func rfc3339(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// By names a breakdown export can write.
type By string

// The breakdowns.
const (
	ByJob       By = "job"
	ByUser      By = "user"
	ByGroup     By = "group"
	ByPartition By = "partition"
	ByMonth     By = "month"
	ByCluster   By = "cluster"
	ByNodeType  By = "nodetype"
	// ByRecommendations is one row per recommendation rather than per
	// key, as the workbook's Recommendations sheet lists them.
	ByRecommendations By = "recommendations"
)

// ParseBy checks a --by value.
func ParseBy(s string) (By, error) {
	switch b := By(s); b {
	case ByJob, ByUser, ByGroup, ByPartition, ByMonth, ByCluster, ByNodeType, ByRecommendations:
		return b, nil
	}
	return "", fmt.Errorf("unknown breakdown %q (want job, user, group, partition, month, cluster, nodetype or recommendations)", s)
}

// Rows writes a breakdown of d, one row per key (or per recommendation),
// as a data frame: small, tabular, and the same columns in CSV and JSON.
func Rows(w io.Writer, f Format, by By, d *report.Data) error {
	var rows []report.Row
	switch by {
	case ByRecommendations:
		return write(w, f, by, recommendationFrame(d.Recommendations))
	case ByUser:
		rows = d.ByUser
	case ByGroup:
		rows = d.ByGroup
	case ByPartition:
		rows = d.ByPartition
	case ByMonth:
		rows = d.ByMonth
	case ByCluster:
		rows = d.ByCluster
	case ByNodeType:
		rows = d.ByNodeType
	default:
		return fmt.Errorf("breakdown %q has no rows", by)
	}
	key := string(by)
	if by == ByNodeType {
		key = "node_type" // as the per-job column names it
	}
	return write(w, f, by, frame(key, rows))
}

// write writes the data frame of a breakdown in format f; in CSV its text
// columns pass through csvText.
func write(w io.Writer, f Format, by By, df dataframe.DataFrame) error {
	var err error
	switch f {
	case CSV:
		for _, name := range df.Names() {
			col := df.Col(name)
			if col.Type() != series.String {
				continue
			}
			texts := col.Records()
			for i := range texts {
				texts[i] = csvText(texts[i])
			}
			df = df.Mutate(series.New(texts, series.String, name))
		}
		err = df.WriteCSV(w)
	case JSON:
		err = df.WriteJSON(w)
	default:
		err = fmt.Errorf("unknown export format %q", f)
	}
	if err != nil {
		return fmt.Errorf("export by %s: %w", by, err)
	}
	return nil
}

func frame(key string, rows []report.Row) dataframe.DataFrame {
	n := len(rows)
	keys := make([]string, n)
	jobs := make([]int, n)
	cols := map[string][]float64{}
	// The figures beside the operational CO2e come last, so that the
	// columns scripts already read keep their places.
	names := []string{"cpu_hours", "gpu_hours", "energy_kwh", "co2e_kg", "co2e_kg_low", "co2e_kg_high", "cost", "wasted_co2e_kg", "share",
		"embodied_co2e_kg", "mem_waste_co2e_kg", "idle_core_co2e_kg"}
	for _, c := range names {
		cols[c] = make([]float64, n)
	}
	for i, r := range rows {
		keys[i], jobs[i] = r.Key, r.Jobs
		for c, v := range map[string]float64{
			"cpu_hours": r.CPUHours, "gpu_hours": r.GPUHours, "energy_kwh": r.EnergyKWh,
			"co2e_kg": r.CO2eKg.Central, "co2e_kg_low": r.CO2eKg.Low, "co2e_kg_high": r.CO2eKg.High,
			"cost": r.Cost, "wasted_co2e_kg": r.WastedCO2eKg, "share": r.Share,
			"embodied_co2e_kg": r.EmbodiedCO2eKg, "mem_waste_co2e_kg": r.MemWasteCO2eKg, "idle_core_co2e_kg": r.IdleCoreCO2eKg,
		} {
			cols[c][i] = v
		}
	}
	ss := []series.Series{series.New(keys, series.String, key), series.New(jobs, series.Int, "jobs")}
	for _, c := range names {
		ss = append(ss, series.New(cols[c], series.Float, c))
	}
	return dataframe.New(ss...)
}
