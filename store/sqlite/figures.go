package sqlite

import (
	"database/sql/driver"
	"encoding/binary"
	"errors"
	"fmt"
	"math"

	"modernc.org/sqlite"

	"labcarbon"
)

// The figures of a job are its numbers that no query of the store reads:
// they are only ever written and read back whole, with the job. They are
// kept in one BLOB column, figures, rather than a column each, because
// what the driver spends on a job is mostly per column (a bind or a read,
// each a call into SQLite under its mutex, a value boxed for database/sql):
// with these 27 in one column a job row has 35 columns instead of 62, is
// read back in a third less time and stored in a sixth to a third less
// (BenchmarkJobs, BenchmarkPut).
//
// The figures that SQL sums or filters on (times, elapsed, the energy,
// CO2e, embodied and cost ranges of Totals) stay columns of their own, as
// do the strings and the counts; a figure that a query comes to need must
// move back to a column of its own, with a migration.
//
// The encoding is exact, bit for bit (-0 and all): a uvarint mask in
// which bit i stands for figureNames[i], then, for each number whose bit
// is set, its IEEE 754 bits in 8 bytes, little-endian. A number's bit is
// set when it is not +0, which most of a job's figures often are (no GPU,
// no market-based factor, no measured energy), so a zero costs nothing;
// a flag's bit is its value, with no bytes. New figures are added at the
// end, where an older row lacks their bit and so reads them as zero, as
// ADD COLUMN ... DEFAULT 0 would.
var figureNames = [numFigures]string{
	// labcarbon.Usage
	"cpu_time_sec", "mem_req_gb", "mem_peak_gb", "has_mem_peak",
	"gpu_util", "has_gpu_util", "energy_j",
	// labcarbon.Result
	"cpu_kwh", "gpu_kwh", "mem_kwh", "pue", "ci_g_per_kwh", "ci_hourly_share",
	"market_co2e_kg_low", "market_co2e_kg_central", "market_co2e_kg_high", "has_market",
	"node_share",
	"mem_waste_co2e_kg_low", "mem_waste_co2e_kg_central", "mem_waste_co2e_kg_high",
	"idle_core_hours", "idle_core_co2e_kg_low", "idle_core_co2e_kg_central", "idle_core_co2e_kg_high",
	"cpu_efficiency", "mem_efficiency",
}

const numFigures = 27

// figureFlags has the bits of the figures that are flags (bools).
var figureFlags = func() uint64 {
	var m uint64
	for i, name := range figureNames {
		switch name {
		case "has_mem_peak", "has_gpu_util", "has_market":
			m |= 1 << i
		}
	}
	return m
}()

// maxFiguresLen is the longest encoding: the mask, and every number.
const maxFiguresLen = binary.MaxVarintLen64 + 8*numFigures

// figures are a job's figures in the order of figureNames, flags as 1 or 0.
type figures [numFigures]float64

func figuresOf(j *labcarbon.Job) figures {
	u, r := &j.Usage, &j.Result
	return figures{
		u.CPUTimeSec, u.MemReqGB, u.MemPeakGB, flagFigure(u.HasMemPeak),
		u.GPUUtil, flagFigure(u.HasGPUUtil), u.EnergyJ,
		r.CPUkWh, r.GPUkWh, r.MemkWh, r.PUE, r.CIgPerKWh, r.CIHourlyShare,
		r.MarketCO2eKg.Low, r.MarketCO2eKg.Central, r.MarketCO2eKg.High, flagFigure(r.HasMarket),
		r.NodeShare,
		r.MemWasteCO2eKg.Low, r.MemWasteCO2eKg.Central, r.MemWasteCO2eKg.High,
		r.IdleCoreHours, r.IdleCoreCO2eKg.Low, r.IdleCoreCO2eKg.Central, r.IdleCoreCO2eKg.High,
		r.CPUEfficiency, r.MemEfficiency,
	}
}

// set stores f in j's fields.
func (f *figures) set(j *labcarbon.Job) {
	u, r := &j.Usage, &j.Result
	u.CPUTimeSec, u.MemReqGB, u.MemPeakGB, u.HasMemPeak = f[0], f[1], f[2], f[3] != 0
	u.GPUUtil, u.HasGPUUtil, u.EnergyJ = f[4], f[5] != 0, f[6]
	r.CPUkWh, r.GPUkWh, r.MemkWh, r.PUE, r.CIgPerKWh, r.CIHourlyShare = f[7], f[8], f[9], f[10], f[11], f[12]
	r.MarketCO2eKg, r.HasMarket = labcarbon.Range{Low: f[13], Central: f[14], High: f[15]}, f[16] != 0
	r.NodeShare = f[17]
	r.MemWasteCO2eKg = labcarbon.Range{Low: f[18], Central: f[19], High: f[20]}
	r.IdleCoreHours, r.IdleCoreCO2eKg = f[21], labcarbon.Range{Low: f[22], Central: f[23], High: f[24]}
	r.CPUEfficiency, r.MemEfficiency = f[25], f[26]
}

func flagFigure(v bool) float64 {
	if v {
		return 1
	}
	return 0
}

// errNaN rejects a figure that is not a number, as SQLite rejects one
// bound to a NOT NULL REAL column (it binds NaN as NULL): a NaN in a
// stored job would only surface later, in a report's sums.
var errNaN = errors.New("not a number")

// appendFigures appends the encoding of f to b.
func appendFigures(b []byte, f *figures) ([]byte, error) {
	var mask uint64
	for i, v := range f {
		if math.IsNaN(v) {
			return b, fmt.Errorf("%s: %w", figureNames[i], errNaN)
		}
		if math.Float64bits(v) != 0 {
			mask |= 1 << i
		}
	}
	b = binary.AppendUvarint(b, mask)
	for i, v := range f {
		if mask&(1<<i) != 0 && figureFlags&(1<<i) == 0 {
			b = binary.LittleEndian.AppendUint64(b, math.Float64bits(v))
		}
	}
	return b, nil
}

// decodeFigures decodes what appendFigures wrote.
func decodeFigures(b []byte, f *figures) error {
	mask, n := binary.Uvarint(b)
	if n <= 0 {
		return errors.New("figures: bad mask")
	}
	if mask>>numFigures != 0 {
		return fmt.Errorf("figures: unknown figures %#x, written by a newer labcarbon", mask>>numFigures<<numFigures)
	}
	b = b[n:]
	for i := range f {
		switch bit := uint64(1) << i; {
		case mask&bit == 0:
			f[i] = 0
		case figureFlags&bit != 0:
			f[i] = 1
		case len(b) < 8:
			return errors.New("figures: too short")
		default:
			f[i] = math.Float64frombits(binary.LittleEndian.Uint64(b))
			b = b[8:]
		}
	}
	if len(b) != 0 {
		return errors.New("figures: too long")
	}
	return nil
}

// figuresFunc is the SQL function labcarbon_figures(cpu_time_sec, ...),
// the figures as separate values in the order of figureNames, and returns
// their encoding: migration 0007 moves the figures of stored jobs from
// their columns with it.
func figuresFunc(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
	var f figures
	for i, v := range args {
		switch v := v.(type) {
		case float64:
			f[i] = v
		case int64:
			f[i] = float64(v)
		default:
			return nil, fmt.Errorf("labcarbon_figures: %s is %T", figureNames[i], v)
		}
		if figureFlags&(1<<i) != 0 && f[i] != 0 && f[i] != 1 {
			return nil, fmt.Errorf("labcarbon_figures: %s is %v, not a flag", figureNames[i], f[i])
		}
	}
	return appendFigures(nil, &f)
}

func init() {
	// Registered with the driver, so every connection has it, before any
	// is opened.
	sqlite.MustRegisterDeterministicScalarFunction("labcarbon_figures", numFigures, figuresFunc)
}
