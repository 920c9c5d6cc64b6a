package pdf

import (
	"bytes"
	"crypto/sha256"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goitalic"
	"golang.org/x/image/font/gofont/gomono"
	"golang.org/x/image/font/gofont/goregular"

	"labcarbon/report"
	"labcarbon/report/reporttest"
)

// render writes d and fails the test on error.
func render(t testing.TB, d *report.Data) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, d); err != nil {
		t.Fatalf("Write: %v", err)
	}
	return buf.Bytes()
}

// pageObject matches a page object, not the page tree (/Type /Pages).
var pageObject = regexp.MustCompile(`/Type /Page[^s]`)

func TestWriteIsAValidMultiPagePDF(t *testing.T) {
	out := render(t, reporttest.Data(40))
	// Set LABCARBON_PDF_SAMPLE to a path to keep the sample for a look.
	if path := os.Getenv("LABCARBON_PDF_SAMPLE"); path != "" {
		if err := os.WriteFile(path, out, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if !bytes.HasPrefix(out, []byte("%PDF-")) {
		t.Errorf("output starts %q, want %%PDF-", out[:min(8, len(out))])
	}
	if !bytes.HasSuffix(bytes.TrimRight(out, "\r\n"), []byte("%%EOF")) {
		t.Errorf("output does not end with %%%%EOF")
	}
	if n := len(pageObject.FindAll(out, -1)); n < 4 {
		t.Errorf("%d pages, want at least 4 (cover, over time, breakdowns, appendix)", n)
	}
}

func TestWriteIsDeterministic(t *testing.T) {
	d := reporttest.Data(30)
	if a, b := render(t, d), render(t, d); !bytes.Equal(a, b) {
		t.Error("two renderings of the same data differ")
	}
}

// TestWriteLeavesFontsAlone guards against gofpdf writing into the font
// bytes it subsets, which corrupted the shared gofont variables and made a
// process's second document differ from its first.
func TestWriteLeavesFontsAlone(t *testing.T) {
	fonts := [][]byte{goregular.TTF, gobold.TTF, goitalic.TTF, gomono.TTF}
	before := make([][32]byte, len(fonts))
	for i, f := range fonts {
		before[i] = sha256.Sum256(f)
	}
	render(t, reporttest.Data(30))
	for i, f := range fonts {
		if sha256.Sum256(f) != before[i] {
			t.Errorf("font %d changed while rendering", i)
		}
	}
}

func TestWriteEmptyPeriod(t *testing.T) {
	d := reporttest.Data(0)
	d.ByGroup, d.ByUser, d.ByPartition, d.ByState, d.OverTime = nil, nil, nil, nil, nil
	d.Factors, d.Exclusions, d.Summary = nil, nil, nil
	render(t, d)
	render(t, &report.Data{})
}

func TestWriteNilData(t *testing.T) {
	if err := Write(&bytes.Buffer{}, nil); err == nil {
		t.Error("Write(nil) succeeded, want an error")
	}
}

// TestTextContent reads the PDF back with poppler's pdftotext, which CI
// installs, to check that the text is really there and in Unicode.
func TestTextContent(t *testing.T) {
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext not on PATH (apt-get install poppler-utils); skipping the text extraction check")
	}
	d := reporttest.Data(40)
	cmd := exec.Command("pdftotext", "-enc", "UTF-8", "-", "-")
	cmd.Stdin = bytes.NewReader(render(t, d))
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	text := string(out)
	want := []string{
		d.Lab,
		massUnit(d.Totals.CO2eKg.Central).with(d.Totals.CO2eKg.Central) + " CO₂e",
		"Jiří", "łukasz", "zoë",
		"Page 1 of ", "Methodology and audit", "run 42",
	}
	for _, g := range d.ByGroup {
		want = append(want, g.Key)
	}
	for _, w := range want {
		if !strings.Contains(text, w) {
			t.Errorf("extracted text lacks %q", w)
		}
	}
	pages := strings.Count(text, "\f")
	if !strings.Contains(text, "Page 1 of "+count(pages)) {
		t.Errorf("no %q in the text of a %d-page document", "Page 1 of "+count(pages), pages)
	}
}

func BenchmarkPDF(b *testing.B) {
	d := reporttest.Data(200)
	var buf bytes.Buffer
	for b.Loop() {
		buf.Reset()
		if err := Write(&buf, d); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(buf.Len())/1024, "KiB/doc")
	// The jobs the document reports on: its cost does not grow with them,
	// so at a centre's scale the store's read (store/sqlite BenchmarkJobs)
	// and the aggregation (report BenchmarkBuild) are what count.
	b.ReportMetric(float64(d.Totals.Jobs*b.N)/b.Elapsed().Seconds(), "jobs/s")
}
