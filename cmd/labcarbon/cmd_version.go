package main

import (
	"fmt"
	"runtime"
	"time"

	"github.com/spf13/cobra"

	"labcarbon"
)

// timeNow is the clock relative periods are resolved against.
var timeNow = time.Now

func newVersionCommand(s streams) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the labcarbon version",
		Args:  noArgs,
		RunE: func(*cobra.Command, []string) error {
			_, err := fmt.Fprintf(s.out, "labcarbon %s (%s %s/%s)\n", labcarbon.Version, runtime.Version(), runtime.GOOS, runtime.GOARCH)
			return err
		},
	}
}
