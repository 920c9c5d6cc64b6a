package pipeline

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"labcarbon"
	"labcarbon/compute/recommend"
	"labcarbon/internal/atomicfile"
	"labcarbon/report"
	"labcarbon/report/pdf"
	"labcarbon/templates"
)

// trendPeriods is how many periods before the reported one a statement's
// trend shows.
const trendPeriods = 3

// WriteStatements writes, into dir/statements-<period>/, one statement
// per researcher who ran jobs in period: a PDF with only their own
// figures, jobs and recommendations, and a text file with its opening for
// a mail. Files are named by login, made safe for any login, and written
// atomically. It returns the files written.
func (p *Pipeline) WriteStatements(ctx context.Context, period labcarbon.Period, dir string, runID int64) ([]string, error) {
	eng := p.recommender()
	sts, err := p.statements(ctx, period, runID, eng.Add)
	if err != nil {
		return nil, err
	}
	recs, err := p.wordRecommendations(eng.Recommendations())
	if err != nil {
		return nil, err
	}
	return p.writeStatements(period, dir, sts, recs)
}

// WriteStatementsOf writes the statements of the period d reports on, as
// WriteStatements does, taking the researchers' recommendations from d
// rather than making them again.
func (p *Pipeline) WriteStatementsOf(ctx context.Context, d *report.Data, dir string) ([]string, error) {
	sts, err := p.statements(ctx, d.Period, d.RunID, nil)
	if err != nil {
		return nil, err
	}
	return p.writeStatements(d.Period, dir, sts, d.Recommendations)
}

// statements gathers every researcher's figures for period, with their
// trend over the periods before; visit, if set, sees every job counted.
func (p *Pipeline) statements(ctx context.Context, period labcarbon.Period, runID int64, visit func(*labcarbon.Job)) ([]*report.Statement, error) {
	opts := p.reportOptions(runID, visit)
	// A statement names no one but its researcher, not even their PI.
	opts.PIOf = nil
	var trend []labcarbon.Period
	for q := period.Previous(); len(trend) < trendPeriods; q = q.Previous() {
		trend = append([]labcarbon.Period{q}, trend...)
	}
	return report.Statements(ctx, p.store, period, opts, report.StatementOptions{Trend: trend, Name: p.personName})
}

// writeStatements words and writes the statements sts, each with its
// researcher's own recommendations of recs.
func (p *Pipeline) writeStatements(period labcarbon.Period, dir string, sts []*report.Statement, recs []report.Recommendation) ([]string, error) {
	var err error
	out := filepath.Join(dir, "statements-"+safeName(period.Label))
	if err := os.MkdirAll(out, 0o755); err != nil {
		return nil, fmt.Errorf("statement directory: %w", err)
	}
	own := map[string][]report.Recommendation{}
	for _, r := range recs {
		if r.Scope == recommend.ScopeUser {
			own[r.Subject] = append(own[r.Subject], r)
		}
	}
	var written []string
	for _, s := range sts {
		if s.Totals.Jobs == 0 {
			continue
		}
		for _, r := range own[s.User] {
			// A statement goes to its researcher: addressed by name.
			r.Who = s.Name
			s.Recommendations = append(s.Recommendations, r)
		}
		if s.Body, err = templates.Paragraphs(p.tmpl, "statement", s); err != nil {
			return written, err
		}
		base := filepath.Join(out, "statement-"+safeName(period.Label)+"-"+safeName(s.User))
		for _, f := range []struct {
			path  string
			write func(io.Writer) error
		}{
			{base + ".pdf", func(w io.Writer) error { return pdf.WriteStatement(w, s) }},
			{base + ".txt", func(w io.Writer) error { return writeStatementText(w, s) }},
		} {
			if err := atomicfile.Write(f.path, f.write); err != nil {
				return written, err
			}
			written = append(written, f.path)
		}
	}
	p.log.Info("statements written", "period", period.Label, "files", len(written), "dir", out)
	return written, nil
}

// writeStatementText writes a statement's text for a mail: its opening
// paragraphs, then each recommendation worded in full.
func writeStatementText(w io.Writer, s *report.Statement) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: your computing's carbon footprint, %s\n\n", s.Lab, s.Period.Label)
	for _, para := range s.Body {
		b.WriteString(wrap(para, 76))
		b.WriteString("\n\n")
	}
	for _, r := range s.Recommendations {
		b.WriteString(wrap(r.Title+". "+r.Text, 76))
		b.WriteString("\n\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// wrap breaks text into lines of at most width characters, at spaces.
func wrap(text string, width int) string {
	var b strings.Builder
	n := 0
	for i, word := range strings.Fields(text) {
		l := len([]rune(word))
		if i > 0 && n+1+l > width {
			b.WriteByte('\n')
			n = 0
		} else if i > 0 {
			b.WriteByte(' ')
			n++
		}
		b.WriteString(word)
		n += l
	}
	return b.String()
}
