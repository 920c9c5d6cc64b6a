package main

import (
	"errors"
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"

	"github.com/spf13/pflag"
)

// profiles write Go's CPU and heap profiles of one command, for whoever
// looks into why a run on their data is slow (go tool pprof FILE). The
// flags are hidden: they are for diagnosis, not daily use.
type profiles struct {
	cpuPath, memPath string
	cpu              *os.File
}

func (p *profiles) flags(fs *pflag.FlagSet) {
	fs.StringVar(&p.cpuPath, "cpu-profile", "", "write a CPU profile of the command to this file")
	fs.StringVar(&p.memPath, "mem-profile", "", "write a heap profile (what was allocated, and what is still held) at the end of the command to this file")
	_ = fs.MarkHidden("cpu-profile")
	_ = fs.MarkHidden("mem-profile")
}

func (p *profiles) startProfiles() error {
	if p.cpuPath == "" {
		return nil
	}
	f, err := os.Create(p.cpuPath)
	if err != nil {
		return usageError{fmt.Errorf("--cpu-profile: %w", err)}
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return fmt.Errorf("--cpu-profile: %w", err)
	}
	p.cpu = f
	return nil
}

// stopProfiles ends the CPU profile and writes the heap profile, if asked.
func (p *profiles) stopProfiles() error {
	var errs []error
	if p.cpu != nil {
		pprof.StopCPUProfile()
		if err := p.cpu.Close(); err != nil {
			errs = append(errs, fmt.Errorf("--cpu-profile: %w", err))
		}
		p.cpu = nil
	}
	if p.memPath != "" {
		f, err := os.Create(p.memPath)
		if err == nil {
			runtime.GC() // the heap as the command left it, not its garbage
			err = pprof.Lookup("heap").WriteTo(f, 0)
			if cerr := f.Close(); err == nil {
				err = cerr
			}
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("--mem-profile: %w", err))
		}
	}
	return errors.Join(errs...)
}
