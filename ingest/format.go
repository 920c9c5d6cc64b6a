package ingest

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
)

// The input format names, as `labcarbon ingest --format` takes them.
const (
	FormatAuto      = "auto" // detect from the first bytes
	FormatSacct     = "sacct"
	FormatSacctJSON = "sacct-json"
	FormatJobcomp   = "jobcomp"
)

// Formats returns the format names an input may be given as, auto first.
func Formats() []string {
	return []string{FormatAuto, FormatSacct, FormatSacctJSON, FormatJobcomp}
}

// checkFormat returns the canonical name of format f; "" means auto.
func checkFormat(f string) (string, error) {
	if f == "" {
		return FormatAuto, nil
	}
	for _, g := range Formats() {
		if strings.EqualFold(f, g) {
			return g, nil
		}
	}
	return "", fmt.Errorf("unknown format %q (known: %s)", f, strings.Join(Formats(), ", "))
}

// Detect names the format of an input from its first bytes (already
// decompressed): JSON from sacct --json begins with "{", a jobcomp/filetxt
// log with "JobId=", and anything else is taken for sacct text, whose reader
// checks its header and says clearly if it is not. Binary data is an error.
func Detect(head []byte) (string, error) {
	if bytes.IndexByte(head, 0) >= 0 {
		return "", errors.New("binary data, not a known input format")
	}
	head = bytes.TrimPrefix(head, []byte("\xef\xbb\xbf"))
	head = bytes.TrimLeft(head, " \t\r\n")
	switch {
	case len(head) > 0 && (head[0] == '{' || head[0] == '['):
		return FormatSacctJSON, nil
	case bytes.HasPrefix(head, []byte("JobId=")):
		return FormatJobcomp, nil
	}
	return FormatSacct, nil
}
