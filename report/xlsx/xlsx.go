// Package xlsx prints a lab's report for a period as an Excel workbook that
// a person can filter and pivot: a Summary with the headline figures, the
// comparison with other periods and a native chart, the recommendations
// and what became of the last period's, one sheet per breakdown, the jobs'
// distributions over CPU efficiency and size with their charts, every job
// of the period, and the factors and exclusions behind the figures.
//
// Every figure is a typed numeric cell with a number format, never text, so
// it sums and sorts; every sheet is an Excel table (filter buttons) under a
// frozen header row. Text from the inputs (job names, users, file names,
// the audiences and titles of recommendations) is always written as a
// string cell, never as a formula, so a job named "=HYPERLINK(…)" is
// shown, not run. The Jobs sheet is streamed, so the workbook's memory does
// not grow with the job count beyond excelize's own buffering, and
// continues on "Jobs 2", "Jobs 3"… past Excel's row limit.
package xlsx

import (
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/xuri/excelize/v2"

	"labcarbon"
	"labcarbon/report"
)

// maxRows is how many rows a worksheet holds, header included: Excel's
// limit. Tests lower it to check that the Jobs sheet splits.
var maxRows = excelize.TotalRows

// Sheet names, in workbook order; the Jobs sheets come between
// Distributions and Factors.
const (
	sheetSummary         = "Summary"
	sheetRecommendations = "Recommendations"
	sheetUptake          = "Last period's recommendations"
	sheetEquivalents     = "Equivalents"
	sheetGroups          = "By group"
	sheetUsers           = "By user"
	sheetPartitions      = "By partition"
	sheetStates          = "By state"
	sheetClusters        = "By cluster"
	sheetNodeTypes       = "By node type"
	sheetOverTime        = "Over time"
	sheetDistributions   = "Distributions"
	sheetJobs            = "Jobs"
	sheetFactors         = "Factors"
	sheetExclusions      = "Exclusions"
)

// sheetsBeforeJobs are the sheets between the Summary and the Jobs sheets.
var sheetsBeforeJobs = []string{
	sheetRecommendations, sheetUptake, sheetEquivalents, sheetGroups, sheetUsers, sheetPartitions,
	sheetStates, sheetClusters, sheetNodeTypes, sheetOverTime, sheetDistributions,
}

// book is a workbook being written, with the styles it shares.
type book struct {
	f        *excelize.File
	d        *report.Data // nil until the report is built
	currency string
	st       styles
}

// Options are what a workbook needs to know before its report is built.
type Options struct {
	Currency string
	// GroupOf returns the research group a job is counted under; nil
	// means its Slurm account.
	GroupOf func(*labcarbon.Usage) string
	// JobUser names a job's user (see report.Options.JobUser); nil prints
	// the login.
	JobUser func(login string) string
	// HideJobNames leaves job names out of the Jobs sheets.
	HideJobNames bool
}

// Workbook is a workbook under way. Its Jobs sheets take the period's jobs
// one at a time, as the pass that builds the report reads them (Add is a
// report.Options.Visit), so that a million jobs are read from the store
// once for the report and its workbook; Write then adds the sheets that
// print the built report, and writes the file.
type Workbook struct {
	b    *book
	jobs *jobSheets
	done bool
}

// New starts a workbook; Write or Close must follow.
func New(opts Options) (*Workbook, error) {
	f := excelize.NewFile()
	b := &book{f: f, currency: opts.Currency}
	var err error
	if b.st, err = newStyles(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("xlsx: styles: %w", err)
	}
	if err := f.SetSheetName("Sheet1", sheetSummary); err != nil {
		f.Close()
		return nil, fmt.Errorf("xlsx: %s: %w", sheetSummary, err)
	}
	// Sheets take their place in the workbook when they are made, and the
	// Jobs sheets are made now, so the sheets before them are made now too,
	// empty, and filled by Write.
	for _, sheet := range sheetsBeforeJobs {
		if _, err := f.NewSheet(sheet); err != nil {
			f.Close()
			return nil, fmt.Errorf("xlsx: %s: %w", sheet, err)
		}
	}
	jobs, err := b.startJobs(opts)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("xlsx: %s: %w", sheetJobs, err)
	}
	return &Workbook{b: b, jobs: jobs}, nil
}

// Add lists j on the Jobs sheets. It keeps nothing of j. After an error
// of writing, which Write returns, it does nothing.
func (wb *Workbook) Add(j *labcarbon.Job) { wb.jobs.add(j) }

// Write adds the sheets that print d, the report built in the pass that
// gave Add its jobs, and writes the workbook to w. It closes the workbook.
func (wb *Workbook) Write(w io.Writer, d *report.Data) (err error) {
	if wb.done {
		return errors.New("xlsx: workbook already written or closed")
	}
	defer func() {
		if cerr := wb.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	if d == nil {
		return fmt.Errorf("xlsx: no report data")
	}
	if err := wb.jobs.end(); err != nil {
		return fmt.Errorf("xlsx: %s: %w", sheetJobs, err)
	}
	b, f := wb.b, wb.b.f
	b.d = d
	// excelize's Write compresses the workbook into a buffer of its own,
	// the whole file in memory, before copying it to w: a million jobs
	// took 620 MB. Handing it a zip writer on w itself leaves that buffer
	// empty and the memory flat (130 MB). (The buffer is also where
	// excelize would patch the headers of entries over 4 GiB, which a
	// sheet of 1,048,576 rows does not reach.)
	f.SetZipWriter(func(io.Writer) excelize.ZipWriter { return newCanonicalZip(w) })
	for _, step := range []struct {
		sheet string
		write func() error
	}{
		{sheetRecommendations, b.recommendations},
		{sheetUptake, b.uptake},
		{sheetEquivalents, b.equivalents},
		{sheetGroups, func() error { return b.breakdown(sheetGroups, "ByGroup", "Group", d.ByGroup, b.groupColumns()...) }},
		{sheetUsers, func() error { return b.breakdown(sheetUsers, "ByUser", "User", d.ByUser) }},
		{sheetPartitions, func() error { return b.breakdown(sheetPartitions, "ByPartition", "Partition", d.ByPartition) }},
		{sheetStates, func() error { return b.breakdown(sheetStates, "ByState", "State", d.ByState) }},
		{sheetClusters, func() error { return b.breakdown(sheetClusters, "ByCluster", "Cluster", d.ByCluster) }},
		{sheetNodeTypes, func() error { return b.breakdown(sheetNodeTypes, "ByNodeType", "Node type", d.ByNodeType) }},
		{sheetOverTime, b.overTime},
		{sheetDistributions, b.distributions},
		{sheetFactors, b.factors},
		{sheetExclusions, b.exclusions},
		{sheetMethodology, b.methodology},
		{sheetInputs, b.inputs},
		{sheetSummary, b.summary},
		{"document properties", b.properties},
	} {
		if err := step.write(); err != nil {
			return fmt.Errorf("xlsx: %s: %w", step.sheet, err)
		}
	}
	f.SetActiveSheet(0)
	if err := f.Write(w); err != nil {
		return fmt.Errorf("xlsx: write workbook: %w", err)
	}
	return nil
}

// Close abandons a workbook not written, removing its temporary files; it
// does nothing once the workbook is written or closed.
func (wb *Workbook) Close() error {
	if wb.done {
		return nil
	}
	wb.done = true
	wb.jobs.stop()
	if err := wb.b.f.Close(); err != nil {
		return fmt.Errorf("xlsx: close workbook: %w", err)
	}
	return nil
}

// Write renders d as an XLSX workbook to w, listing the jobs of d.Jobs.
func Write(w io.Writer, d *report.Data) error {
	if d == nil {
		return fmt.Errorf("xlsx: no report data")
	}
	wb, err := New(Options{Currency: d.Currency, GroupOf: d.GroupOf, JobUser: d.JobUser})
	if err != nil {
		return err
	}
	if d.Jobs != nil {
		err := d.Jobs(func(j *labcarbon.Job) error {
			if wb.jobs.failed() {
				return errWriterStopped
			}
			wb.Add(j)
			return nil
		})
		if err != nil && !errors.Is(err, errWriterStopped) {
			return errors.Join(fmt.Errorf("xlsx: list jobs: %w", err), wb.Close())
		}
	}
	return wb.Write(w, d)
}

// errWriterStopped ends the listing of jobs once writing has failed; Write
// then reports why.
var errWriterStopped = errors.New("writing rows stopped")

// properties sets the document's metadata. The dates come from the data,
// not the clock, so the same data gives the same file.
func (b *book) properties() error {
	stamp := b.d.Generated
	if stamp.IsZero() {
		stamp = b.d.Period.To
	}
	when := stamp.UTC().Format(time.RFC3339)
	return b.f.SetDocProps(&excelize.DocProperties{
		Title:          "Computing carbon footprint, " + b.d.Lab + ", " + b.d.Period.Label,
		Subject:        "Energy use and CO2e emissions of computing jobs",
		Creator:        "labcarbon " + b.d.Version,
		LastModifiedBy: "labcarbon " + b.d.Version,
		Identifier:     fmt.Sprintf("run %d", b.d.RunID),
		Created:        when,
		Modified:       when,
	})
}
