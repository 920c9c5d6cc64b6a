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
	"fmt"
	"io"
	"time"

	"github.com/xuri/excelize/v2"

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

// book is a workbook being written, with the styles it shares.
type book struct {
	f  *excelize.File
	d  *report.Data
	st styles
}

// Write renders d as an XLSX workbook to w.
func Write(w io.Writer, d *report.Data) (err error) {
	if d == nil {
		return fmt.Errorf("xlsx: no report data")
	}
	f := excelize.NewFile()
	// excelize's Write compresses the workbook into a buffer of its own,
	// the whole file in memory, before copying it to w: a million jobs
	// took 620 MB. Handing it a zip writer on w itself leaves that buffer
	// empty and the memory flat (130 MB). (The buffer is also where
	// excelize would patch the headers of entries over 4 GiB, which a
	// sheet of 1,048,576 rows does not reach.)
	f.SetZipWriter(func(io.Writer) excelize.ZipWriter { return newCanonicalZip(w) })
	defer func() {
		// Close removes the stream writers' temporary files.
		if cerr := f.Close(); cerr != nil && err == nil {
			err = fmt.Errorf("xlsx: close workbook: %w", cerr)
		}
	}()
	b := &book{f: f, d: d}
	if b.st, err = newStyles(f); err != nil {
		return fmt.Errorf("xlsx: styles: %w", err)
	}
	if err := f.SetSheetName("Sheet1", sheetSummary); err != nil {
		return fmt.Errorf("xlsx: %s: %w", sheetSummary, err)
	}
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
		{sheetJobs, b.jobs},
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
