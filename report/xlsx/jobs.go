package xlsx

import (
	"fmt"

	"github.com/xuri/excelize/v2"

	"labcarbon"
	"labcarbon/report"
)

// jobColumns are the columns of the Jobs sheets.
func (b *book) jobColumns() []column {
	s := b.st
	return []column{
		{"Cluster", 10, s.text},
		{"Job ID", 12, s.text},
		{"Job name", 24, s.text},
		{"User", 14, s.text},
		{"Group / account", 18, s.text},
		{"Partition", 12, s.text},
		{"State", 14, s.text},
		{"Start (UTC)", 19, s.datetime},
		{"End (UTC)", 19, s.datetime},
		{"Elapsed (h)", 10, s.dec2},
		{"CPUs", 7, s.count},
		{"GPUs", 7, s.count},
		{"CPU time used (core-h)", 12, s.dec2},
		{"Requested memory (GB)", 12, s.dec1},
		{"Peak memory (GB)", 12, s.dec1},
		{"Node type", 14, s.text},
		{"Energy source", 12, s.text},
		{"Energy (kWh)", 11, s.dec3},
		{"CO2e (kg)", 11, s.dec3},
		{"CO2e low (kg)", 11, s.dec3},
		{"CO2e high (kg)", 11, s.dec3},
		{"Grid intensity (gCO2e/kWh)", 13, s.count},
		{"Grid intensity source", 24, s.text},
		{"PUE", 7, s.pue},
		{"CPU efficiency (%)", 11, s.share},
		{b.money("Cost"), 10, s.dec2},
		// The engine's figures, appended so the columns above keep their
		// places for people who refer to them.
		{"Hourly intensity share of run (%)", 11, s.share},
		{"CO2e market-based (kg)", 11, s.dec3},
		{"Embodied CO2e (kg)", 11, s.dec3},
		{"Node share (nodes)", 9, s.dec3},
		{"Memory waste CO2e (kg)", 11, s.dec3},
		{"Idle core-hours (core-h)", 11, s.dec2},
		{"Idle-core CO2e at full load (kg)", 11, s.dec3},
		{"Memory efficiency (%)", 11, s.share},
		{"GPU utilisation (%)", 11, s.share},
	}
}

// jobValues fills row with j's typed cells. The user is the login, or its
// pseudonym; the group is the one the report counts the job under.
func (js *jobSheets) jobValues(row []any, j *labcarbon.Job) {
	u, r := &j.Usage, &j.Result
	name := u.Name
	if js.hideNames {
		name = ""
	}
	copy(row, []any{
		u.Cluster, u.JobID, name, js.jobUser(u.User), js.groupOf(u), u.Partition, string(u.State),
		timeOrNil(u.Start), timeOrNil(u.End),
		num(float64(u.ElapsedSec) / 3600), u.CPUs, u.GPUs, num(u.CPUTimeSec / 3600),
		num(u.MemReqGB), numIf(u.MemPeakGB, u.HasMemPeak),
		j.Assignment.NodeType, string(r.EnergySource),
		num(r.EnergyKWh.Central), num(r.CO2eKg.Central), num(r.CO2eKg.Low), num(r.CO2eKg.High),
		num(r.CIgPerKWh), r.CISource, num(r.PUE), numIf(r.CPUEfficiency, r.CPUEfficiency > 0), num(r.Cost),
		// A market-based figure only where the site has a factor: its 0
		// is a renewable contract, a blank is no factor.
		num(r.CIHourlyShare), numIf(r.MarketCO2eKg.Central, r.HasMarket), num(r.EmbodiedCO2eKg.Central),
		num(r.NodeShare), num(r.MemWasteCO2eKg.Central), num(r.IdleCoreHours), num(r.IdleCoreCO2eKg.Central),
		numIf(r.MemEfficiency, u.HasMemPeak && u.MemReqGB > 0), numIf(u.GPUUtil, u.HasGPUUtil),
	})
}

// jobSheets streams jobs onto "Jobs", then "Jobs 2", "Jobs 3"… each time a
// sheet reaches maxRows.
//
// Turning a job into its row and writing the row cost about the same, so
// they run on two goroutines: add fills rows into a ring of chunks on the
// caller's (the pass that reads the jobs from the store), and a goroutine
// of its own writes them. A million-job sheet takes half the time on two
// cores, in memory that does not grow with the jobs.
type jobSheets struct {
	b         *book
	cols      []column
	groupOf   func(*labcarbon.Usage) string
	hideNames bool
	jobUser   func(login string) string

	// The ring: chunks filled by add go to full, written chunks come back
	// on free; cur is the chunk add is filling.
	full, free chan *rowChunkBuf
	cur        *rowChunkBuf
	// done is closed when the writing goroutine has ended, after the last
	// chunk or at its first error, which it leaves in err.
	done  chan struct{}
	err   error
	ended bool // full is closed

	// Owned by the writing goroutine until done.
	sheet string
	sw    *excelize.StreamWriter
	n     int // sheets started
	row   int // last row written on the current sheet
}

// Sizes of the ring: chunks large enough that handing one over costs
// nothing per row, few enough that the ring stays small.
const (
	rowChunk  = 256
	rowChunks = 4
)

// rowChunkBuf is one chunk of the ring: n rows filled.
type rowChunkBuf struct {
	rows [rowChunk][]any
	n    int
}

// startJobs starts the first Jobs sheet and the goroutine that writes the
// rows add is given.
func (b *book) startJobs(opts Options) (*jobSheets, error) {
	js := &jobSheets{
		b: b, cols: b.jobColumns(), groupOf: opts.GroupOf, hideNames: opts.HideJobNames,
		jobUser: report.MemoLabel(opts.JobUser),
		full:    make(chan *rowChunkBuf, rowChunks), free: make(chan *rowChunkBuf, rowChunks),
		done: make(chan struct{}),
	}
	if js.groupOf == nil {
		js.groupOf = func(u *labcarbon.Usage) string { return u.Account }
	}
	for range rowChunks {
		c := new(rowChunkBuf)
		for i := range c.rows {
			c.rows[i] = make([]any, len(js.cols))
		}
		js.free <- c
	}
	if err := js.next(); err != nil {
		return nil, err
	}
	go js.writeRows()
	return js, nil
}

// add queues j's row. Once writing has failed it drops the row: end
// reports the error.
func (js *jobSheets) add(j *labcarbon.Job) {
	if js.cur == nil {
		select {
		case js.cur = <-js.free:
		case <-js.done:
			return
		}
	}
	js.jobValues(js.cur.rows[js.cur.n], j)
	js.cur.n++
	if js.cur.n == rowChunk {
		js.send()
	}
}

// send hands the current chunk to the writing goroutine.
func (js *jobSheets) send() {
	select {
	case js.full <- js.cur:
	case <-js.done:
	}
	js.cur = nil
}

// failed reports whether writing has stopped at an error.
func (js *jobSheets) failed() bool {
	select {
	case <-js.done:
		return js.err != nil
	default:
		return false
	}
}

// end writes the rows still queued, finishes the last sheet and returns
// the first error of writing.
func (js *jobSheets) end() error {
	if js.cur != nil && js.cur.n > 0 {
		js.send()
	}
	js.stop()
	if js.err != nil {
		return js.err
	}
	return js.finish()
}

// stop lets the writing goroutine end, once it has written what is queued.
func (js *jobSheets) stop() {
	if !js.ended {
		js.ended = true
		close(js.full)
	}
	<-js.done
}

// writeRows writes the rows of each chunk sent, and gives the chunk back.
func (js *jobSheets) writeRows() {
	defer close(js.done)
	for c := range js.full {
		for _, row := range c.rows[:c.n] {
			if js.err = js.writeRow(row); js.err != nil {
				return
			}
		}
		c.n = 0
		js.free <- c // never blocks: free holds every chunk
	}
}

// writeRow writes one row, starting the next sheet when this one is full.
func (js *jobSheets) writeRow(row []any) error {
	if js.row >= maxRows {
		if err := js.finish(); err != nil {
			return err
		}
		if err := js.next(); err != nil {
			return err
		}
	}
	js.row++
	cell, err := excelize.CoordinatesToCellName(1, js.row)
	if err != nil {
		return err
	}
	if err := js.sw.SetRow(cell, row); err != nil {
		return fmt.Errorf("%s row %d: %w", js.sheet, js.row, err)
	}
	return nil
}

// next starts a Jobs sheet: column widths and styles, frozen header, header
// row. The stream writer needs all of it before the first row.
func (js *jobSheets) next() error {
	js.n++
	js.sheet = sheetJobs
	if js.n > 1 {
		js.sheet = fmt.Sprintf("%s %d", sheetJobs, js.n)
	}
	f := js.b.f
	if _, err := f.NewSheet(js.sheet); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(js.sheet)
	if err != nil {
		return err
	}
	js.sw, js.row = sw, 1
	for i, c := range js.cols {
		if err := sw.SetColWidth(i+1, i+1, c.width); err != nil {
			return err
		}
		if err := sw.SetColStyle(i+1, i+1, c.style); err != nil {
			return err
		}
	}
	if err := sw.SetPanes(frozenHeader()); err != nil {
		return err
	}
	headers := make([]any, len(js.cols))
	for i, c := range js.cols {
		headers[i] = excelize.Cell{StyleID: js.b.st.header, Value: c.header}
	}
	return sw.SetRow("A1", headers, excelize.RowOpts{Height: headerHeight})
}

// finish adds the table over the current sheet's rows and flushes it.
func (js *jobSheets) finish() error {
	name := "Jobs"
	if js.n > 1 {
		name = fmt.Sprintf("Jobs%d", js.n)
	}
	t, err := tableOf(name, len(js.cols), js.row-1)
	if err != nil {
		return err
	}
	if err := js.sw.AddTable(t); err != nil {
		return fmt.Errorf("%s table: %w", js.sheet, err)
	}
	if err := js.sw.Flush(); err != nil {
		return fmt.Errorf("%s flush: %w", js.sheet, err)
	}
	return nil
}
