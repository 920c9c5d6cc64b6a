package ingest

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func gzipped(t *testing.T, s string) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	if _, err := zw.Write([]byte(s)); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestNewInput(t *testing.T) {
	const sacct = "JobID|State|Elapsed\n1|COMPLETED|00:01:00\n"
	const json = `{"jobs": []}`
	tests := []struct {
		name       string
		data       []byte
		format     string
		wantFormat string
		wantErr    string
	}{
		{name: "sacct", data: []byte(sacct), wantFormat: FormatSacct},
		{name: "gzip sacct", data: gzipped(t, sacct), wantFormat: FormatSacct},
		{name: "gzip json", data: gzipped(t, json), format: "auto", wantFormat: FormatSacctJSON},
		{name: "forced", data: []byte(json), format: "sacct", wantFormat: FormatSacct},
		{name: "empty", data: nil, wantFormat: FormatSacct},
		{name: "unknown format", data: []byte(sacct), format: "parquet", wantErr: "unknown format"},
		{name: "broken gzip", data: []byte{0x1f, 0x8b, 0x00}, wantErr: "gzip"},
		{name: "binary", data: []byte{0x7f, 'E', 'L', 'F', 0, 0, 0}, wantErr: "binary"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in, err := NewInput(bytes.NewReader(tt.data), "in", tt.format)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) || !strings.Contains(err.Error(), "in") {
					t.Fatalf("NewInput error = %v, want one naming the input and containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			defer in.Close()
			if in.Format != tt.wantFormat {
				t.Errorf("Format = %q, want %q", in.Format, tt.wantFormat)
			}
			// The detection must not have consumed anything.
			got, err := io.ReadAll(in)
			if err != nil {
				t.Fatal(err)
			}
			want := string(tt.data)
			if tt.name == "gzip sacct" {
				want = sacct
			} else if tt.name == "gzip json" {
				want = json
			}
			if string(got) != want {
				t.Errorf("read %q, want %q", got, want)
			}
		})
	}
}

func TestOpenInput(t *testing.T) {
	dir := t.TempDir()
	// A gzip file is recognised by its bytes, not its name.
	path := filepath.Join(dir, "sacct-2026-03-01.log")
	if err := os.WriteFile(path, gzipped(t, "JobId=1 UserId=a(1)\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	in, err := OpenInput(path, "")
	if err != nil {
		t.Fatal(err)
	}
	if in.Format != FormatJobcomp || in.Name != path {
		t.Errorf("got %q %q, want jobcomp", in.Name, in.Format)
	}
	if err := in.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
	if _, err := OpenInput(filepath.Join(dir, "missing.txt"), ""); err == nil || !strings.Contains(err.Error(), "missing.txt") {
		t.Errorf("OpenInput(missing) = %v, want an error naming the file", err)
	}
}
