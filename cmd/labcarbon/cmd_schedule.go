package main

import (
	"context"
	"errors"
	"log/slog"

	"github.com/robfig/cron/v3"
	"github.com/spf13/cobra"

	"labcarbon/pipeline"
)

type scheduleOptions struct {
	config string
}

func newScheduleCommand(s streams, g *globalOptions) *cobra.Command {
	o := &scheduleOptions{}
	c := &cobra.Command{
		Use:   "schedule --config FILE",
		Short: "Stay up and run a pass at the times the config's schedule.run gives",
		Long: `Schedule stays in the foreground (for systemd or a container) and runs the same
pass as 'labcarbon run' at the times of the config's schedule.run cron spec.
The config is read again before every pass, so edits apply without a restart.
A pass never starts while the previous one is still going. SIGTERM or SIGINT
stops the scheduler: a pass in progress abandons its current input (which is
rolled back, leaving the store as it was) and the run is recorded as failed.`,
		Args: noArgs,
		RunE: func(c *cobra.Command, _ []string) error { return runSchedule(c.Context(), s, g, o) },
	}
	c.Flags().StringVar(&o.config, "config", "", "lab configuration file (YAML)")
	return c
}

func runSchedule(ctx context.Context, s streams, g *globalOptions, o *scheduleOptions) error {
	cfg, err := loadConfig(o.config)
	if err != nil {
		return err
	}
	if cfg.Schedule.Run == "" {
		return usageError{errors.New("the config has no schedule.run cron spec")}
	}
	log, err := g.logger(s)
	if err != nil {
		return err
	}
	log = log.With("component", "schedule")
	c := cron.New(cron.WithChain(cron.SkipIfStillRunning(cronLogger{log})), cron.WithLogger(cronLogger{log}))
	if _, err := c.AddFunc(cfg.Schedule.Run, func() { scheduledPass(ctx, log, o.config) }); err != nil {
		return usageError{err}
	}
	c.Start()
	log.Info("scheduler started", "spec", cfg.Schedule.Run, "next", c.Entries()[0].Next)
	<-ctx.Done()
	log.Info("stopping: waiting for a pass in progress to abandon its work")
	<-c.Stop().Done()
	return nil
}

func scheduledPass(ctx context.Context, log *slog.Logger, configPath string) {
	cfg, err := loadConfig(configPath)
	if err != nil {
		log.Error("pass skipped", "err", err)
		return
	}
	p, err := pipeline.Open(ctx, cfg, pipeline.Options{Log: log})
	if err != nil {
		log.Error("pass failed", "err", err)
		return
	}
	defer p.Close()
	sum, err := p.Run(ctx)
	switch {
	case errors.Is(err, pipeline.ErrPartial):
		log.Warn("pass done with quarantined rows", "run", sum.RunID, "jobs", sum.Jobs, "quarantined", sum.Quarantined)
	case err != nil:
		log.Error("pass failed", "err", err)
	default:
		log.Info("pass done", "run", sum.RunID, "jobs", sum.Jobs, "reports", len(sum.Reports))
	}
}

// cronLogger sends the scheduler's own messages to slog.
type cronLogger struct{ log *slog.Logger }

func (l cronLogger) Info(msg string, kv ...any) { l.log.Debug(msg, kv...) }
func (l cronLogger) Error(err error, msg string, kv ...any) {
	l.log.Error(msg, append(kv, "err", err)...)
}
