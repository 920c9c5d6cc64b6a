package ingest

import (
	"slices"
	"strings"
	"testing"
)

func TestFormats(t *testing.T) {
	got := Formats()
	for _, want := range []string{FormatAuto, FormatSacct, FormatSacctJSON, FormatJobcomp} {
		if !slices.Contains(got, want) {
			t.Errorf("Formats() = %v, missing %q", got, want)
		}
	}
	if got[0] != FormatAuto {
		t.Errorf("Formats()[0] = %q, want auto first", got[0])
	}
}

func TestDetect(t *testing.T) {
	tests := []struct {
		head    string
		want    string
		wantErr bool
	}{
		{head: `{"meta":{"plugin":{"type":"openapi/dbv0.0.38"}},"jobs":[]}`, want: FormatSacctJSON},
		{head: "\n  {\n  \"meta\": {", want: FormatSacctJSON},
		{head: "\xef\xbb\xbf{}", want: FormatSacctJSON},
		{head: "JobId=31 UserId=alice(1001) GroupId=alice(1001) Name=arr JobState=COMPLETED", want: FormatJobcomp},
		{head: "JobID|JobIDRaw|User|State\n1|1|a|COMPLETED\n", want: FormatSacct},
		{head: "JobID☃State☃", want: FormatSacct},
		{head: "", want: FormatSacct}, // the sacct reader says "empty"
		{head: "\x00\x01\x02", wantErr: true},
	}
	for _, tt := range tests {
		got, err := Detect([]byte(tt.head))
		if (err != nil) != tt.wantErr {
			t.Errorf("Detect(%q) error = %v, want error %v", tt.head, err, tt.wantErr)
			continue
		}
		if got != tt.want {
			t.Errorf("Detect(%q) = %q, want %q", tt.head, got, tt.want)
		}
	}
}

func TestCheckFormat(t *testing.T) {
	for in, want := range map[string]string{"": FormatAuto, "auto": FormatAuto, "SACCT": FormatSacct, "sacct-json": FormatSacctJSON, "jobcomp": FormatJobcomp} {
		if got, err := checkFormat(in); err != nil || got != want {
			t.Errorf("checkFormat(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	if _, err := checkFormat("csv"); err == nil || !strings.Contains(err.Error(), "sacct-json") {
		t.Errorf("checkFormat(csv) = %v, want an error listing the formats", err)
	}
}
